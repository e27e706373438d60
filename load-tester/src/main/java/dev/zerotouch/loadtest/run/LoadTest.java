package dev.zerotouch.loadtest.run;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.loadtest.config.LoadTestConfig;
import dev.zerotouch.loadtest.device.CaProvisioning;
import dev.zerotouch.loadtest.device.ClientTransport;
import dev.zerotouch.loadtest.device.DeviceFailures;
import dev.zerotouch.loadtest.device.SimulatedDevice;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run. Keys and CSRs first, untimed. Then the timed phases, each for all devices before
 * the next starts, so that each one's throughput and latency are its own: provision (CSR to
 * the CA), register (mutual TLS connect, register, registered), heartbeat (until every device
 * has its heartbeats acknowledged; devices beat at the server's interval from the moment
 * they are registered). Then the hold, every device still connected and beating; then all stop.
 *
 * <p>A device that fails is counted under its error kind and takes no further part. Devices
 * connect through device-client's own classes (see {@link ClientTransport}); the CA is asked
 * by {@link CaProvisioning}. One attempt each, no retry.
 */
public final class LoadTest {

  private static final Logger LOG = LoggerFactory.getLogger(LoadTest.class);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(10);

  private final LoadTestConfig config;
  private final Progress progress;
  private final ErrorTally errors = new ErrorTally();
  private final Map<Phase, PhaseRecorder> recorders = new EnumMap<>(Phase.class);
  private final AtomicIntegerArray failed;
  private final AtomicLong heartbeatsSent = new AtomicLong();
  private final AtomicLong heartbeatsAcked = new AtomicLong();
  private final List<String> warnings = new ArrayList<>();
  private final Queue<CompletableFuture<?>> ended = new ConcurrentLinkedQueue<>();
  private volatile PhaseRecorder beating;
  private ClientTransport transport;
  private volatile CpuSample halfway;
  private int concurrency;

  public LoadTest(LoadTestConfig config, Progress progress) {
    this.config = config;
    this.progress = progress;
    this.failed = new AtomicIntegerArray(config.devices());
    this.concurrency = config.concurrency();
    for (Phase phase : Phase.values()) {
      recorders.put(phase, new PhaseRecorder(phase));
    }
    this.beating = recorders.get(Phase.HEARTBEAT);
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
    transport = new ClientTransport(cores, config.server(), config.timeout());
    double[] cpuPerConnect;
    long timedMs;
    try {
      long timedStart = System.nanoTime();
      DeviceIdentity[] identities = provision(keys, csrs, workers);
      CpuSample before = new CpuSample(CpuClock.processCpuNanos(), 0);
      SimulatedDevice[] devices = register(identities, workers);
      CpuSample after = new CpuSample(CpuClock.processCpuNanos(),
          recorders.get(Phase.REGISTER).succeeded());
      cpuPerConnect = new double[] {perConnect(halfway, after), perConnect(before, after)};
      heartbeat(devices);
      timedMs = (System.nanoTime() - timedStart) / 1_000_000;
      hold(devices);
      stopAll(devices);
    } finally {
      transport.close();
      workers.shutdownNow();
    }

    return report(startedAt, keys, csrMs, cpuPerConnect, timedMs,
        (System.nanoTime() - wallStart) / 1_000_000);
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

  /** Every device's key, generated or read from the key cache; untimed. */
  public KeySet prepareKeys() {
    Optional<KeyCache> cache = config.keyCache()
        .map(dir -> new KeyCache(dir, config.keyTypeLabel()));
    try (Progress.PhaseProgress bar = progress.start("keys", config.devices())) {
      return KeyPool.prepare(config.devices(), config.keyType(), cache, index -> bar.step());
    }
  }

  /** Every device's CSR, on all cores, before the timed phases (like the keys). */
  private String[] buildCsrs(KeySet keys) {
    String[] csrs = new String[config.devices()];
    try (Progress.PhaseProgress bar = progress.start("csrs", config.devices())) {
      IntStream.range(0, config.devices()).parallel().forEach(index -> {
        csrs[index] = Pem.csr(Csrs.build(keys.keys().get(index), config.commonName(index)));
        bar.step();
      });
    } catch (RuntimeException e) {
      throw new LoadTestException(LoadTestErrorCode.KEY_FAILED,
          "cannot build the CSRs: " + e, e);
    }
    return csrs;
  }

  private DeviceIdentity[] provision(KeySet keys, String[] csrs, ExecutorService workers) {
    DeviceIdentity[] identities = new DeviceIdentity[config.devices()];
    CaProvisioning ca = new CaProvisioning(config.caUrl(), config.timeout(), workers);
    List<Integer> all = IntStream.range(0, config.devices()).boxed().toList();
    dispatch(Phase.PROVISION, all, done -> { }, index -> ca
        .provision(config.commonName(index), keys.keys().get(index).getPrivate(), csrs[index])
        .thenAccept(identity -> identities[index] = identity));
    LOG.info("provision phase done", kv("ok", recorders.get(Phase.PROVISION).succeeded()),
        kv("failed", recorders.get(Phase.PROVISION).failed()));
    return identities;
  }

  private SimulatedDevice[] register(DeviceIdentity[] identities, ExecutorService workers) {
    SimulatedDevice[] devices = new SimulatedDevice[config.devices()];
    List<Integer> registering = alive();
    int half = Math.max(1, registering.size() / 2);
    dispatch(Phase.REGISTER, registering, done -> {
      if (done == half) {
        halfway = new CpuSample(CpuClock.processCpuNanos(),
            recorders.get(Phase.REGISTER).succeeded());
      }
    }, index -> CompletableFuture
        .supplyAsync(() -> open(identities[index]), workers)
        .thenCompose(device -> {
          devices[index] = device;
          return device.registered();
        }));
    LOG.info("register phase done", kv("ok", recorders.get(Phase.REGISTER).succeeded()),
        kv("failed", recorders.get(Phase.REGISTER).failed()));
    return devices;
  }

  private SimulatedDevice open(DeviceIdentity identity) {
    SimulatedDevice device = transport.open(identity, config.heartbeats(), this::roundTrip);
    ended.add(device.completion().handle((result, failure) -> heartbeatsSent.addAndGet(
        result != null ? result.heartbeatsSent() : device.acknowledged())));
    return device;
  }

  /** Waits until every registered device has its heartbeats acknowledged, or has failed. */
  private void heartbeat(SimulatedDevice[] devices) {
    List<Integer> registered = alive();
    PhaseRecorder recorder = recorders.get(Phase.HEARTBEAT);
    CountDownLatch done = new CountDownLatch(registered.size());
    try (Progress.PhaseProgress bar = progress.start(Phase.HEARTBEAT.label(),
        registered.size())) {
      recorder.start(System.nanoTime());
      for (int index : registered) {
        devices[index].heartbeatsDone().whenComplete((ok, failure) -> {
          if (failure != null) {
            recorder.failure();
            fail(Phase.HEARTBEAT, index, failure);
          } else if (config.hold().isZero()) {
            devices[index].stop();
          }
          bar.step();
          done.countDown();
        });
      }
      await(done);
      recorder.finish(System.nanoTime());
    }
  }

  /** Keeps every device connected and beating for the hold; a device dropped fails it. */
  private void hold(SimulatedDevice[] devices) {
    if (config.hold().isZero()) {
      return;
    }

    List<Integer> held = alive();
    PhaseRecorder recorder = recorders.get(Phase.HOLD);
    beating = recorder;
    long seconds = Math.max(1, config.hold().toSeconds());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
        daemon("hold-ticker"));
    AtomicBoolean holding = new AtomicBoolean(true);
    try (Progress.PhaseProgress bar = progress.start(Phase.HOLD.label(), seconds)) {
      recorder.start(System.nanoTime());
      for (int index : held) {
        devices[index].completion().whenComplete((result, failure) -> {
          if (failure != null && holding.get()) {
            recorder.failure();
            fail(Phase.HOLD, index, failure);
          }
        });
      }
      ticker.scheduleAtFixedRate(bar::step, 1, 1, TimeUnit.SECONDS);
      CountDownLatch holdOver = new CountDownLatch(1);
      ticker.schedule(holdOver::countDown, config.hold().toMillis(), TimeUnit.MILLISECONDS);
      await(holdOver);
      holding.set(false);
      recorder.finish(System.nanoTime());
    } finally {
      ticker.shutdownNow();
    }
  }

  /**
   * Starts {@code operation} for each index, spreading the starts over the ramp-up and keeping
   * at most {@link #concurrency} in flight; records latency, failures and progress, tells
   * {@code finished} how many have finished after each one; returns when all have.
   */
  private void dispatch(Phase phase, List<Integer> indices, LongConsumer finished,
      IntFunction<CompletableFuture<?>> operation) {
    PhaseRecorder recorder = recorders.get(phase);
    AtomicLong finishedCount = new AtomicLong();
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
          finished.accept(finishedCount.incrementAndGet());
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
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }

  private void roundTrip(Duration roundTrip) {
    heartbeatsAcked.incrementAndGet();
    beating.success(roundTrip.toNanos());
  }

  private void fail(Phase phase, int index, Throwable failure) {
    if (failed.getAndSet(index, 1) != 0) {
      return;
    }
    LoadTestException reason = DeviceFailures.translate(failure, null);
    errors.record(phase, config.commonName(index), reason);
    LOG.debug("device failed", kv("cn", config.commonName(index)), kv("phase", phase.label()),
        kv("kind", reason.code().label()), kv("error", reason.getMessage()));
  }

  private List<Integer> alive() {
    return IntStream.range(0, config.devices()).filter(i -> failed.get(i) == 0).boxed()
        .toList();
  }

  /**
   * This process's CPU time per successful connect between two samples, or -1 when unknown.
   * The samples are taken at the start, halfway and at the end of the register phase: the
   * second half is the steady state, the whole phase includes the JIT warming up.
   */
  private static double perConnect(CpuSample from, CpuSample to) {
    if (from == null || from.cpuNanos() < 0 || to.cpuNanos() < 0
        || to.connects() <= from.connects()) {
      return -1;
    }
    return (to.cpuNanos() - from.cpuNanos()) / 1e6 / (to.connects() - from.connects());
  }

  /** Stops every device still running and waits until each one's end is counted. */
  private void stopAll(SimulatedDevice[] devices) {
    for (SimulatedDevice device : devices) {
      if (device != null) {
        device.stop();
      }
    }
    try {
      CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new))
          .get(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("not every device stopped in time", kv("within_ms", STOP_WITHIN.toMillis()));
    }
  }

  private LoadTestReport report(String startedAt, KeySet keys, long csrMs,
      double[] cpuPerConnect,
      long timedMs, long wallMs) {
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
        config.hold().toMillis(), config.cnPrefix(), transport.tlsProvider(),
        transport.transportName());
    LoadTestReport.Keys keyFigures = new LoadTestReport.Keys(keys.keys().size(),
        keys.generated(), keys.fromCache(), keys.durationMs(), csrMs);
    LoadTestReport.Devices devices = new LoadTestReport.Devices(config.devices(),
        recorders.get(Phase.PROVISION).succeeded(), recorders.get(Phase.REGISTER).succeeded(),
        config.devices() - failedDevices, failedDevices);
    return new LoadTestReport(startedAt, settings, keyFigures, devices,
        new LoadTestReport.Heartbeats(heartbeatsSent.get(), heartbeatsAcked.get()), phases,
        errors.groups(), cpuPerConnect[0], cpuPerConnect[1], timedMs, wallMs, warnings,
        failedDevices == 0);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadTestException(LoadTestErrorCode.UNEXPECTED, "the run was interrupted", e);
    }
  }

  /** The process's CPU time and the successful connects so far, at one moment. */
  private record CpuSample(long cpuNanos, long connects) {
  }

  private static ThreadFactory daemon(String name) {
    AtomicLong count = new AtomicLong();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
