package dev.zerotouch.registry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code certs/} and hands every record written with a status other than active (a
 * revocation or a supersession; records are born active) to the listener, on one thread of
 * its own, in revision order.
 *
 * <p>jetcd ends a watch for good when etcd becomes unreachable, so this class starts a new
 * one after every error, from the revision after the last one it saw, with a growing pause
 * (up to {@link #MAX_PAUSE}). When etcd has compacted that revision away, it reads the
 * records changed since then ({@code min_mod_revision}) and watches on from the read.
 */
final class CertificateWatcher implements AutoCloseable {

  static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(CertificateWatcher.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(200);

  private final Watch watch;
  private final EtcdKv kv;
  private final Keys keys;
  private final Consumer<CertificateRecord> listener;
  private final ScheduledExecutorService executor;
  private final ByteSequence directory;

  /** The only fields changed after start; touched on {@link #executor} alone. */
  private long nextRevision;
  private long generation;
  private Watch.Watcher current;
  private Duration pause = FIRST_PAUSE;
  private volatile boolean closed;

  CertificateWatcher(Watch watch, EtcdKv kv, Keys keys, Consumer<CertificateRecord> listener) {
    this.watch = watch;
    this.kv = kv;
    this.keys = keys;
    this.listener = listener;
    this.directory = keys.directory(Keys.CERTS);
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "registry-certificate-watch");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Learns the current revision now, so that exactly the changes after this call are
   * delivered, and watches from the next one. When etcd does not answer, keeps trying in the
   * background and delivers the changes after the first answer.
   */
  void start() {
    try {
      startFrom(currentRevision() + 1);
    } catch (RegistryException e) {
      LOG.debug("certificate watch cannot start yet {}", kv("error", e.getMessage()));
      executor.execute(this::begin);
    }
  }

  /** Watches from {@code revision}, which etcd may have compacted away already. */
  void startFrom(long revision) {
    nextRevision = revision;
    executor.execute(() -> watchFrom(nextRevision));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    post(() -> {
      closeCurrent();
      executor.shutdown();
    });
  }

  private void begin() {
    try {
      nextRevision = currentRevision() + 1;
      watchFrom(nextRevision);
    } catch (RuntimeException e) {
      LOG.debug("certificate watch cannot start yet {}", kv("error", e.getMessage()));
      retryLater(this::begin);
    }
  }

  private void watchFrom(long revision) {
    if (closed) {
      return;
    }
    long mine = ++generation;
    WatchOption option = WatchOption.builder()
        .withRange(EtcdRegistry.rangeEnd(directory))
        .withRevision(revision)
        .build();
    current = watch.watch(directory, option, new Watch.Listener() {
      @Override
      public void onNext(WatchResponse response) {
        post(() -> deliver(mine, response));
      }

      @Override
      public void onError(Throwable error) {
        post(() -> ended(mine, error));
      }

      @Override
      public void onCompleted() {
        post(() -> ended(mine, null));
      }
    });
    LOG.debug("watching certificates {}", kv("revision", revision));
  }

  private void deliver(long of, WatchResponse response) {
    if (of != generation || closed) {
      return;
    }
    pause = FIRST_PAUSE;
    for (WatchEvent event : response.getEvents()) {
      KeyValue entry = event.getKeyValue();
      nextRevision = Math.max(nextRevision, entry.getModRevision() + 1);
      if (event.getEventType() == WatchEvent.EventType.PUT) {
        hand(entry);
      }
    }
  }

  private void ended(long of, Throwable error) {
    if (of != generation || closed) {
      return;
    }
    generation++;
    closeCurrent();
    if (error instanceof CompactedException) {
      LOG.debug("certificate watch fell behind a compaction, catching up {}",
          kv("revision", nextRevision));
      executor.execute(this::catchUp);
      return;
    }
    LOG.debug("certificate watch ended, resuming {} {}", kv("revision", nextRevision),
        kv("error", error == null ? "completed" : error.getMessage()));
    retryLater(() -> watchFrom(nextRevision));
  }

  private void catchUp() {
    if (closed) {
      return;
    }
    try {
      GetOption changed = GetOption.builder()
          .withRange(EtcdRegistry.rangeEnd(directory))
          .withMinModRevision(nextRevision)
          .build();
      GetResponse response = kv.get(directory, changed, "read the changed certificates");
      response.getKvs().forEach(this::hand);
      nextRevision = response.getHeader().getRevision() + 1;
      watchFrom(nextRevision);
    } catch (RuntimeException e) {
      LOG.debug("certificate catch-up failed {}", kv("error", e.getMessage()));
      retryLater(this::catchUp);
    }
  }

  private void hand(KeyValue entry) {
    CertificateRecord record;
    try {
      record = Json.decode(entry, CertificateRecord.class);
    } catch (RegistryException corrupt) {
      LOG.warn("skipping unreadable certificate record {}", kv("error", corrupt.getMessage()));
      return;
    }
    if (record.status() == CertificateStatus.ACTIVE) {
      return;
    }
    try {
      listener.accept(record);
    } catch (RuntimeException e) {
      LOG.warn("certificate listener failed {}", kv("serial", record.serial()), e);
    }
  }

  private void post(Runnable step) {
    try {
      executor.execute(step);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nothing is delivered any more
    }
  }

  private void retryLater(Runnable step) {
    if (closed) {
      return;
    }
    Duration wait = pause;
    pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    executor.schedule(step, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void closeCurrent() {
    if (current != null) {
      Watch.Watcher ending = current;
      current = null;
      ending.close();
    }
  }

  private long currentRevision() {
    GetOption countOnly = GetOption.builder().withCountOnly(true).build();
    return kv.get(directory, countOnly, "read the current revision").getHeader().getRevision();
  }
}
