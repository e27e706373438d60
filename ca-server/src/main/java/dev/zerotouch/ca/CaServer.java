package dev.zerotouch.ca;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.ca.config.CaServerConfig;
import dev.zerotouch.ca.http.CaHttpServer;
import dev.zerotouch.ca.issuance.CommitBatcher;
import dev.zerotouch.ca.issuance.IssuanceService;
import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.ca.signing.CertificateSigner;
import dev.zerotouch.ca.signing.CsrPolicy;
import dev.zerotouch.protocol.pki.Fingerprints;
import dev.zerotouch.registry.EtcdRegistry;
import dev.zerotouch.registry.Registry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running CA: credentials checked, registry connected (lazily: the server starts while
 * etcd is away and says so on {@code /health}), signing pool, group commit and HTTP server.
 * {@link #close()} stops accepting requests, finishes the queued commits and closes the
 * registry.
 */
public final class CaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaServer.class);
  private static final Logger AUDIT = LoggerFactory.getLogger("audit");

  private final CaHttpServer http;
  private final ThreadPoolExecutor signPool;
  private final ExecutorService completions;
  private final CommitBatcher batcher;
  private final Registry registry;

  private CaServer(CaServerConfig config, CaCredentials credentials, Registry registry,
      Clock clock) {
    this.registry = registry;
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);

    this.signPool = new ThreadPoolExecutor(config.signThreads(), config.signThreads(), 0,
        TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.signQueue()), named("ca-sign"),
        new ThreadPoolExecutor.AbortPolicy());
    Gauge.builder("ca.sign.queue", signPool, pool -> pool.getQueue().size())
        .description("requests waiting for a signing thread").register(meters);
    this.completions = Executors.newFixedThreadPool(2, named("ca-respond"));
    this.batcher = new CommitBatcher(registry, config.commitThreads(), config.batchMax(),
        config.batchLinger(), completions, meters);

    CertificateSigner signer = new CertificateSigner(credentials, config.validity(), clock);
    IssuanceService issuance = new IssuanceService(new CsrPolicy(), signer, batcher, signPool,
        credentials.chainPem(), clock, meters);
    this.http = new CaHttpServer(issuance, registry, credentials, meters, clock,
        CaServerConfig.MAX_BODY_BYTES, config.retryAfter());
  }

  /** Loads the CA credentials, connects to etcd and starts serving. */
  public static CaServer start(CaServerConfig config, Clock clock) {
    CaCredentials credentials = CaCredentials.load(config.caKey(), config.caCert(),
        clock.instant());
    Registry registry = EtcdRegistry.connect(config.registry());
    try {
      return start(config, credentials, registry, clock);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** Starts serving with the given credentials and registry (which the server then owns). */
  public static CaServer start(CaServerConfig config, CaCredentials credentials,
      Registry registry, Clock clock) {
    CaServer server = new CaServer(config, credentials, registry, clock);
    try {
      server.http.start(config.bind(), config.port());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }

    var ca = credentials.caCertificate();
    LOG.info("ca server listening {} {} {} {}", kv("bind", config.bind()),
        kv("port", server.port()), kv("sign_threads", config.signThreads()),
        kv("etcd", String.join(",", config.registry().endpoints())));
    AUDIT.info("ca started {} {} {} {} {}", kv("event", "ca_started"),
        kv("ca_subject", ca.getSubjectX500Principal().getName()),
        kv("ca_fingerprint", Fingerprints.of(ca)),
        kv("ca_not_after", ca.getNotAfter().toInstant().toString()),
        kv("signature_algorithm", credentials.signatureAlgorithm()));
    return server;
  }

  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.close();
    signPool.shutdown();
    try {
      signPool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    batcher.close();
    completions.shutdown();
    registry.close();
    AUDIT.info("ca stopped {}", kv("event", "ca_stopped"));
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
