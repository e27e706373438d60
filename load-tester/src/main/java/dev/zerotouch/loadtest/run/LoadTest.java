package dev.zerotouch.loadtest.run;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.loadtest.config.LoadTestConfig;
import dev.zerotouch.loadtest.device.CaClient;
import dev.zerotouch.loadtest.device.ClientTransport;
import dev.zerotouch.loadtest.device.DeviceSession;
import dev.zerotouch.loadtest.device.Provisioned;
import dev.zerotouch.loadtest.keys.KeyCache;
import dev.zerotouch.loadtest.keys.KeyPool;
import dev.zerotouch.loadtest.keys.KeySet;
import dev.zerotouch.loadtest.metrics.CpuClock;
import dev.zerotouch.loadtest.metrics.ErrorTally;
import dev.zerotouch.loadtest.metrics.Phase;
import dev.zerotouch.loadtest.metrics.PhaseRecorder;
import dev.zerotouch.loadtest.metrics.PhaseResult;
import dev.zerotouch.loadtest.report.LoadTestReport;
import dev.zerotouch.protocol.pki.Csrs;
import dev.zerotouch.protocol.pki.Pem;
import dev.zerotouch.protocol.pki.TlsContexts;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: keys (untimed), then the timed phases one after the other for all devices —
 * provision (CSR to the CA), register (mutual TLS connect, register, registered), heartbeat
 * (each device's heartbeats in turn) — then the hold, with every device still connected.
 * A device that fails a phase is counted under its error kind and takes no further part.
 * Phases run one after the other so that each one's throughput and latency are its own.
 */
public final class LoadTest {

  private static final Logger LOG = LoggerFactory.getLogger(LoadTest.class);
  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);

  private final LoadTestConfig config;
  private final Progress progress;
  private final ErrorTally errors = new ErrorTally();
  private final Map<Phase, PhaseRecorder> recorders = new EnumMap<>(Phase.class);
  private final AtomicIntegerArray failed;
  private final AtomicLong heartbeatsSent = new AtomicLong();
  private final AtomicLong heartbeatsAcked = new AtomicLong();
  private final List<String> warnings = new ArrayList<>();
  private int concurrency;

  public LoadTest(LoadTestConfig config, Progress progress) {
    this.config = config;
    this.progress = progress;
    this.failed = new AtomicIntegerArray(config.devices());
    this.concurrency = config.concurrency();
    for (Phase phase : Phase.values()) {
      recorders.put(phase, new PhaseRecorder(phase));
    }
  }

  /** Runs the whole test and returns its figures; device failures are in the report. */
  public LoadTestReport run() {
    long wallStart = System.nanoTime();
    String startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    checkFileLimit();

    KeySet keys = prepareKeys();
    long csrStart = System.nanoTime();
    String[] csrs = buildCsrs(keys);
    long csrMs = (System.nanoTime() - csrStart) / 1_000_000;

    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService workers = Executors.newFixedThreadPool(cores, daemon("load-worker"));
    ClientTransport transport = new ClientTransport(cores, TlsContexts.preferredProvider(),
        config.timeout());
    double cpuPerConnect;
    long timedStart = System.nanoTime();
    long timedEnd;
    try {
      Provisioned[] provisioned = provision(keys, csrs, workers);
      long cpuBefore = CpuClock.processCpuNanos();
      DeviceSession[] sessions = register(provisioned, transport, workers);
      long cpuAfter = CpuClock.processCpuNanos();
      cpuPerConnect = cpuPerConnect(cpuBefore, cpuAfter);
      heartbeat(sessions);
      timedEnd = System.nanoTime();
      hold(sessions);
      closeAll(sessions);
    } finally {
      transport.close();
      workers.shutdownNow();
    }

    return report(startedAt, keys, csrMs, cpuPerConnect, transport,
        (timedEnd - timedStart) / 1_000_000, (System.nanoTime() - wallStart) / 1_000_000);
  }

  private void checkFileLimit() {
    FileLimits limits = FileLimits.current();
    long needed = FileLimits.needed(config.devices(), config.concurrency());
    limits.advice(needed).ifPresent(advice -> {
      warnings.add(advice);
      LOG.warn(advice);
      long soft = limits.soft().orElse(Long.MAX_VALUE);
      long room = Math.max(1, soft - FileLimits.RESERVE);
      if (concurrency > room) {
        concurrency = (int) room;
        warnings.add("concurrency capped to " + concurrency + " by the open-file limit");
      }
    });
  }

  private KeySet prepareKeys() {
    Optional<KeyCache> cache = config.keyCache()
        .map(dir -> new KeyCache(dir, config.keyTypeLabel()));
    try (Progress.PhaseProgress bar = progress.start("keys", config.devices())) {
      return KeyPool.prepare(config.devices(), config.keyType(), cache, index -> bar.step());
    }
  }

  private String[] buildCsrs(KeySet keys) {
    String[] csrs = new String[config.devices()];
    try (Progress.PhaseProgress bar = progress.start("csrs", config.devices())) {
      IntStream.range(0, config.devices()).parallel().forEach(index -> {
        csrs[index] = Pem.csr(Csrs.build(keys.keys().get(index), config.commonName(index)));
        bar.step();
      });
    } catch (RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED,
          "cannot build the CSRs: " + e.getMessage(), e);
    }
    return csrs;
  }

  private Provisioned[] provision(KeySet keys, String[] csrs, ExecutorService workers) {
    Provisioned[] provisioned = new Provisioned[config.devices()];
    CaClient ca = new CaClient(config.caUrl(), config.timeout(), workers);
    List<Integer> all = IntStream.range(0, config.devices()).boxed().toList();
    dispatch(Phase.PROVISION, all, index -> ca
        .sign(config.commonName(index), keys.keys().get(index), csrs[index])
        .thenAccept(device -> provisioned[index] = device));
    LOG.info("provision phase done", kv("provisioned", recorders.get(Phase.PROVISION)
        .succeeded()), kv("failed", recorders.get(Phase.PROVISION).failed()));
    return provisioned;
  }

  private DeviceSession[] register(Provisioned[] provisioned, ClientTransport transport,
      ExecutorService workers) {
    DeviceSession[] sessions = new DeviceSession[config.devices()];
    dispatch(Phase.REGISTER, alive(), index -> CompletableFuture
        .supplyAsync(() -> tlsContext(provisioned[index], transport), workers)
        .thenCompose(tls -> DeviceSession.open(transport, tls, config.server(),
            config.commonName(index), config.timeout()))
        .thenAccept(session -> sessions[index] = session));
    LOG.info("register phase done", kv("registered", recorders.get(Phase.REGISTER)
        .succeeded()), kv("failed", recorders.get(Phase.REGISTER).failed()));
    return sessions;
  }

  private void heartbeat(DeviceSession[] sessions) {
    List<Integer> devices = alive();
    PhaseRecorder recorder = recorders.get(Phase.HEARTBEAT);
    long total = (long) devices.size() * config.heartbeats();
    CountDownLatch done = new CountDownLatch(devices.size());
    try (Progress.PhaseProgress bar = progress.start(Phase.HEARTBEAT.label(), total)) {
      recorder.start(System.nanoTime());
      for (int index : devices) {
        beat(sessions[index], 0, config.heartbeats(), config.heartbeatInterval(), recorder,
            bar::step).whenComplete((ok, failure) -> {
              if (failure != null) {
                fail(Phase.HEARTBEAT, index, failure);
                sessions[index].close();
              }
              done.countDown();
            });
      }
      await(done);
      recorder.finish(System.nanoTime());
    }
  }

  private void hold(DeviceSession[] sessions) {
    if (config.hold().isZero()) {
      return;
    }

    List<Integer> devices = alive();
    PhaseRecorder recorder = recorders.get(Phase.HOLD);
    long holdStart = System.nanoTime();
    long holdEnd = holdStart + config.hold().toNanos();
    CountDownLatch done = new CountDownLatch(devices.size());
    long seconds = Math.max(1, config.hold().toSeconds());
    try (Progress.PhaseProgress bar = progress.start(Phase.HOLD.label(), seconds)) {
      recorder.start(holdStart);
      var ticker = Executors.newSingleThreadScheduledExecutor(daemon("hold-ticker"));
      ticker.scheduleAtFixedRate(bar::step, 1, 1, TimeUnit.SECONDS);
      for (int index : devices) {
        keepAlive(sessions[index], config.heartbeats(), holdEnd, recorder)
            .whenComplete((ok, failure) -> {
              if (failure != null) {
                fail(Phase.HOLD, index, failure);
                sessions[index].close();
              }
              done.countDown();
            });
      }
      await(done);
      ticker.shutdownNow();
      recorder.finish(System.nanoTime());
    }
  }

  /** Heartbeats {@code from} to {@code count - 1}, each after the previous one's ack. */
  private CompletableFuture<Void> beat(DeviceSession session, long sequence, long count,
      Duration interval, PhaseRecorder recorder, Runnable step) {
    if (sequence >= count) {
      return CompletableFuture.completedFuture(null);
    }

    long start = System.nanoTime();
    heartbeatsSent.incrementAndGet();
    return session.heartbeat(sequence).thenCompose(ack -> {
      recorder.success(System.nanoTime() - start);
      heartbeatsAcked.incrementAndGet();
      step.run();
      return after(interval)
          .thenCompose(ignored -> beat(session, sequence + 1, count, interval, recorder, step));
    }).exceptionallyCompose(failure -> {
      recorder.failure();
      return CompletableFuture.failedFuture(failure);
    });
  }

  /** Heartbeats at the server's interval until {@code endNanos}. */
  private CompletableFuture<Void> keepAlive(DeviceSession session, long sequence, long endNanos,
      PhaseRecorder recorder) {
    long next = System.nanoTime() + session.serverHeartbeatInterval().toNanos();
    if (next >= endNanos) {
      return after(Duration.ofNanos(Math.max(0, endNanos - System.nanoTime())));
    }
    return after(session.serverHeartbeatInterval())
        .thenCompose(ignored -> beat(session, sequence, sequence + 1, Duration.ZERO, recorder,
            () -> { }))
        .thenCompose(ignored -> keepAlive(session, sequence + 1, endNanos, recorder));
  }

  /**
   * Starts {@code operation} for each index, spreading the starts over the ramp-up and keeping
   * at most {@link #concurrency} in flight; records latency, failures and progress; returns when
   * every operation has finished.
   */
  private void dispatch(Phase phase, List<Integer> indices,
      IntFunction<CompletableFuture<?>> operation) {
    PhaseRecorder recorder = recorders.get(phase);
    Semaphore permits = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(indices.size());
    try (Progress.PhaseProgress bar = progress.start(phase.label(), indices.size())) {
      long phaseStart = System.nanoTime();
      recorder.start(phaseStart);
      for (int k = 0; k < indices.size(); k++) {
        awaitRampSlot(phaseStart, k, indices.size());
        permits.acquireUninterruptibly();
        int index = indices.get(k);
        long start = System.nanoTime();
        start(operation, index).whenComplete((ignored, failure) -> {
          permits.release();
          if (failure == null) {
            recorder.success(System.nanoTime() - start);
          } else {
            recorder.failure();
            fail(phase, index, failure);
          }
          bar.step();
          done.countDown();
        });
      }
      await(done);
      recorder.finish(System.nanoTime());
    }
  }

  private static CompletableFuture<?> start(IntFunction<CompletableFuture<?>> operation,
      int index) {
    try {
      return operation.apply(index);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void awaitRampSlot(long phaseStart, int k, int count) {
    if (config.rampUp().isZero() || count <= 1) {
      return;
    }
    long due = phaseStart + config.rampUp().toNanos() * k / count;
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
  }

  private void fail(Phase phase, int index, Throwable failure) {
    failed.set(index, 1);
    errors.record(phase, config.commonName(index), failure);
    LOG.debug("device failed", kv("cn", config.commonName(index)), kv("phase", phase.label()),
        kv("error", String.valueOf(failure.getMessage())));
  }

  private List<Integer> alive() {
    return IntStream.range(0, config.devices()).filter(i -> failed.get(i) == 0).boxed()
        .toList();
  }

  private static SslContext tlsContext(Provisioned device, ClientTransport transport) {
    try {
      return TlsContexts.forClient(device.keyPair().getPrivate(), device.chain(),
          device.trustedCas(), transport.provider());
    } catch (RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.TLS_FAILED, "cannot build the TLS context"
          + " of " + device.commonName() + ": " + e.getMessage(), e);
    }
  }

  private double cpuPerConnect(long before, long after) {
    long connects = recorders.get(Phase.REGISTER).succeeded();
    if (before < 0 || after < 0 || connects == 0) {
      return -1;
    }
    return (after - before) / 1e6 / connects;
  }

  private void closeAll(DeviceSession[] sessions) {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (DeviceSession session : sessions) {
      if (session != null) {
        closing.add(session.close());
      }
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(CLOSE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("not every connection closed in time", kv("within_ms", CLOSE_WITHIN.toMillis()));
    }
  }

  private LoadTestReport report(String startedAt, KeySet keys, long csrMs, double cpuPerConnect,
      ClientTransport transport, long timedMs, long wallMs) {
    List<PhaseResult> phases = new ArrayList<>();
    for (Phase phase : Phase.values()) {
      if (phase != Phase.HOLD || !config.hold().isZero()) {
        phases.add(recorders.get(phase).result());
      }
    }
    long failedDevices = IntStream.range(0, config.devices()).filter(i -> failed.get(i) != 0)
        .count();
    LoadTestReport.Settings settings = new LoadTestReport.Settings(config.devices(),
        concurrency, config.keyTypeLabel(), config.caUrl().toString(),
        config.server().toString(), config.heartbeats(), config.rampUp().toMillis(),
        config.hold().toMillis(), config.cnPrefix(), transport.provider().name(),
        transport.transportName());
    LoadTestReport.Keys keyFigures = new LoadTestReport.Keys(keys.keys().size(),
        keys.generated(), keys.fromCache(), keys.durationMs(), csrMs);
    LoadTestReport.Devices devices = new LoadTestReport.Devices(config.devices(),
        recorders.get(Phase.PROVISION).succeeded(), recorders.get(Phase.REGISTER).succeeded(),
        config.devices() - failedDevices, failedDevices);
    return new LoadTestReport(startedAt, settings, keyFigures, devices,
        new LoadTestReport.Heartbeats(heartbeatsSent.get(), heartbeatsAcked.get()), phases,
        errors.groups(), cpuPerConnect, timedMs, wallMs, warnings, failedDevices == 0);
  }

  private static CompletableFuture<Void> after(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(() -> { },
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadTestException(LoadTestErrorCode.UNEXPECTED, "the run was interrupted", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong count = new AtomicLong();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
