package dev.zerotouch.registration.bench;

import dev.zerotouch.protocol.wire.FrameDecoder;
import dev.zerotouch.protocol.wire.FrameEncoder;
import dev.zerotouch.registration.testing.TestPki;
import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.Registry.Outcome;
import dev.zerotouch.registry.RegistryConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Opens N mutual-TLS connections to a registration server running as its own JVM, registers
 * each device, then heartbeats them all, and prints: handshakes + committed registrations per
 * second, the server's CPU per connection, heartbeat round trips, and the server's resident
 * memory per held device (RSS with N held minus RSS idle, heap fixed and pre-touched, so the
 * difference is what connections cost) with Native Memory Tracking's account of it.
 *
 * <p>Run it through {@code bench/registration.sh}, which starts a throwaway etcd.
 */
@Command(name = "connection-bench", mixinStandardHelpOptions = true)
public final class ConnectionBench implements Callable<Integer> {

  @Option(names = "--devices", defaultValue = "1000", description = "Connections to hold.")
  int devices;

  @Option(names = "--warmup", defaultValue = "200",
      description = "Devices that connect and leave before the idle measurement.")
  int warmup;

  @Option(names = "--etcd", required = true, description = "etcd client URL.")
  String etcd;

  @Option(names = "--server-jar", required = true)
  Path serverJar;

  @Option(names = "--work-dir", required = true, description = "Server files and log go here.")
  Path workDir;

  @Option(names = "--heap", defaultValue = "256m", description = "Server heap (-Xms = -Xmx).")
  String heap;

  @Option(names = "--heartbeat-interval", defaultValue = "5",
      description = "Seconds between heartbeats of one device.")
  int heartbeatSeconds;

  @Option(names = "--heartbeat-duration", defaultValue = "30",
      description = "Seconds of heartbeating measured.")
  int heartbeatDurationSeconds;

  @Option(names = "--concurrency", defaultValue = "200",
      description = "Handshakes + registrations in flight at once.")
  int concurrency;

  @Option(names = "--event-loops", defaultValue = "2", description = "Client event loops.")
  int eventLoops;

  @Option(names = "--rsa", defaultValue = "true", arity = "0..1",
      description = "RSA-2048 CA, server and device keys (as the mosquitto peer), else EC P-256.")
  boolean rsa;

  @Option(names = "--device-keys", defaultValue = "64",
      description = "Distinct device key pairs, shared round-robin (RSA key generation is slow;"
          + " every device still has its own certificate and CN).")
  int deviceKeys;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ConnectionBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(workDir);
    TestPki pki = TestPki.create("Bench CA", rsa);
    TestPki.ServerFiles files = pki.writeServerFiles(workDir);
    String prefix = "/bench-" + System.currentTimeMillis() + "/";
    BenchDevices identities = issue(pki, prefix);

    Map<String, String> env = Map.of(
        "ZT_REG_CERT", files.cert().toString(),
        "ZT_REG_KEY", files.key().toString(),
        "ZT_REG_CA_CERT", files.caCert().toString(),
        "ZT_REG_HEARTBEAT_INTERVAL", heartbeatSeconds + "s",
        "ZT_REG_MAX_CONNECTIONS", Integer.toString(devices + warmup + 100),
        "ZT_REG_SERVER_ID", "bench",
        "ZT_ETCD_ENDPOINTS", etcd,
        "ZT_ETCD_PREFIX", prefix,
        "ZT_LOG_FORMAT", "json");
    EventLoopGroup group = Epoll.isAvailable()
        ? new EpollEventLoopGroup(eventLoops) : new NioEventLoopGroup(eventLoops);
    try (ServerProcess server = ServerProcess.start(serverJar, heap, env,
        workDir.resolve("server.log"))) {
      server.awaitHealthy(Duration.ofSeconds(60));
      run(server, identities, pki, group);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    return 0;
  }

  private BenchDevices issue(TestPki pki, String prefix) {
    long started = System.nanoTime();
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < deviceKeys; i++) {
      keys.add(rsa ? TestPki.newRsaKeyPair() : TestPki.newKeyPair());
    }
    List<TestPki.Identity> identities = new ArrayList<>();
    for (int i = 0; i < devices + warmup; i++) {
      identities.add(pki.device(String.format("bench-%06d", i), keys.get(i % keys.size())));
    }
    RegistryConfig config = new RegistryConfig(List.of(etcd), prefix, Duration.ofSeconds(10));
    try (Registry registry = EtcdRegistry.connect(config)) {
      for (int from = 0; from < identities.size(); from += 500) {
        List<CertificateRecord> batch = identities
            .subList(from, Math.min(from + 500, identities.size())).stream()
            .map(TestPki.Identity::record).toList();
        for (Outcome<?> outcome : registry.issueAll(batch)) {
          if (!outcome.succeeded()) {
            throw outcome.error();
          }
        }
      }
    }
    System.out.printf("setup: %d device certificates made and recorded in %d ms%n",
        identities.size(), (System.nanoTime() - started) / 1_000_000);
    return new BenchDevices(identities);
  }

  private void run(ServerProcess server, BenchDevices identities, TestPki pki,
      EventLoopGroup group) throws Exception {
    SslContext tls = SslContextBuilder.forClient()
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols("TLSv1.3")
        .keyManager(identities)
        .trustManager(pki.caCertificate())
        .build();
    ConcurrentHistogram rtt = new ConcurrentHistogram(60_000_000L, 3);
    AtomicLong lostAcks = new AtomicLong();

    Phase warm = connect(server, identities, tls, group, devices, devices + warmup, rtt, lostAcks,
        true);
    warm.channels.forEach(Channel::close);
    Thread.sleep(3_000);
    long idleRss = server.rssKib();
    server.jcmd("VM.native_memory", "baseline");

    String profile = System.getenv().getOrDefault("SERVER_PROFILE", "");
    if (!profile.isEmpty()) {
      server.jcmd("JFR.start", "name=held", "settings=profile");
    }
    long cpuBefore = server.cpuMillis();
    Map<String, ThreadCpu.Task> threadsBefore = server.cpuMillisByThreads();
    Map<String, Long> etcdBefore = EtcdCallCount.snapshot(etcd);
    Phase held = connect(server, identities, tls, group, 0, devices, rtt, lostAcks, false);
    long cpuAfter = server.cpuMillis();
    Map<String, Long> byThreads = ThreadCpu.between(threadsBefore, server.cpuMillisByThreads(),
        cpuAfter - cpuBefore);
    String etcdCalls = EtcdCallCount.between(etcdBefore, EtcdCallCount.snapshot(etcd), devices);
    if (!profile.isEmpty()) {
      server.jcmd("JFR.stop", "name=held", "filename=" + profile);
    }

    rtt.reset();
    lostAcks.set(0);
    Thread.sleep(heartbeatDurationSeconds * 1000L);
    long heldRss = server.rssKib();
    String nmt = server.jcmd("VM.native_memory", "summary.diff", "scale=KB");

    report(held, cpuAfter - cpuBefore, byThreads, etcdCalls, rtt, lostAcks.get(), idleRss,
        heldRss, nmt, tls);
    held.channels.forEach(Channel::close);
  }

  /**
   * Connects and registers devices {@code from} to {@code to}, at most {@link #concurrency} at
   * a time. Warm-up devices ({@code leave}) close as soon as they are registered and one
   * heartbeat is acknowledged, so that warming up does not grow the server's pools to more
   * connections than the measured run holds.
   */
  private Phase connect(ServerProcess server, BenchDevices identities, SslContext tls,
      EventLoopGroup group, int from, int to, ConcurrentHistogram rtt, AtomicLong lostAcks,
      boolean leave) throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(to - from);
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    List<Channel> channels = new ArrayList<>();
    List<BenchConnection> connections = new ArrayList<>();
    long started = System.nanoTime();
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);

    for (int i = from; i < to; i++) {
      inFlight.acquire();
      int index = i;
      Promise<String> registered = group.next().newPromise();
      Channel[] channel = new Channel[1];
      registered.addListener(future -> {
        if (leave && channel[0] != null) {
          channel[0].close();
        }
        String outcome = future.isSuccess() ? (String) future.getNow()
            : "failed: " + future.cause().getClass().getSimpleName();
        outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
        inFlight.release();
        done.countDown();
      });
      SslHandler[] handler = new SslHandler[1];
      BenchConnection connection = new BenchConnection(registered,
          () -> identities.release(handler[0].engine()), rtt, lostAcks,
          heartbeatSeconds * 1000L, leave);
      connections.add(connection);
      channel[0] = bootstrap.handler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel channel) {
          // No peer host and port: the client context then keeps no session to resume, so
          // every device makes a full handshake with its own certificate (a resumed session
          // would carry the identity of whichever device made it).
          handler[0] = tls.newHandler(channel.alloc());
          identities.assign(handler[0].engine(), index);
          channel.pipeline().addLast(handler[0], new FrameDecoder(), new FrameEncoder(),
              connection);
        }
      }).connect("127.0.0.1", server.port()).addListener(future -> {
        if (!future.isSuccess()) {
          registered.tryFailure(future.cause());
        }
      }).channel();
      channels.add(channel[0]);
    }
    done.await(10, TimeUnit.MINUTES);
    return new Phase(channels, connections, new TreeMap<>(outcomes),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private void report(Phase held, long cpuMillis, Map<String, Long> byThreads,
      String etcdCalls, ConcurrentHistogram rtt, long lostAcks, long idleRss, long heldRss,
      String nmt, SslContext tls) {
    long ok = held.outcomes.getOrDefault("registered", new AtomicLong()).get();
    double seconds = held.elapsed.toNanos() / 1e9;
    System.out.println();
    System.out.printf("devices: %d, %s keys (client TLS %s, %d client event loops)%n", devices,
        rsa ? "RSA-2048" : "EC P-256", tls.getClass().getSimpleName(), eventLoops);
    System.out.printf("outcomes: %s%n", held.outcomes);
    System.out.printf("handshakes+registrations: %d in %.2f s = %.0f /s%n", ok, seconds,
        ok / seconds);
    System.out.printf("server CPU: %d ms for %d connections = %.3f ms per connection%n",
        cpuMillis, devices, (double) cpuMillis / devices);
    StringBuilder split = new StringBuilder();
    byThreads.forEach((group, ms) -> split.append(String.format("%s%s %.3f",
        split.length() == 0 ? "" : ", ", group, (double) ms / devices)));
    long compiling = byThreads.getOrDefault(ThreadCpu.JIT, 0L);
    System.out.printf("server CPU by threads, ms per connection: %s; without the JIT"
        + " compilers %.3f ms per connection%n", split, (double) (cpuMillis - compiling) / devices);
    System.out.printf("etcd calls per connection while they connected: %s%n", etcdCalls);
    long open = held.connections.stream().filter(BenchConnection::isActive).count();
    long expected = open * heartbeatDurationSeconds / heartbeatSeconds;
    System.out.printf("held at the end: %d of %d connections still open; heartbeats expected"
        + " about %d%n", open, devices, expected);
    System.out.printf("heartbeat RTT over %d s, every %d s per device (%d acks, %d not answered"
        + " before the next beat): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        heartbeatDurationSeconds, heartbeatSeconds, rtt.getTotalCount(), lostAcks,
        rtt.getValueAtPercentile(50) / 1000.0, rtt.getValueAtPercentile(90) / 1000.0,
        rtt.getValueAtPercentile(99) / 1000.0, rtt.getMaxValue() / 1000.0);
    System.out.printf("server RSS: idle %d KiB, %d held %d KiB, per device %.1f KiB (heap %s"
        + " fixed and pre-touched)%n", idleRss, devices, heldRss,
        (double) (heldRss - idleRss) / devices, heap);
    System.out.println();
    System.out.println("NMT summary.diff (held minus idle baseline):");
    System.out.println(nmt);
  }

  private record Phase(List<Channel> channels, List<BenchConnection> connections,
      Map<String, AtomicLong> outcomes, Duration elapsed) {
  }
}
