package dev.zerotouch.ca.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.ca.CaErrorCode;
import dev.zerotouch.ca.CaException;
import dev.zerotouch.ca.issuance.IssuanceService;
import dev.zerotouch.ca.pki.CaCredentials;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.RegistryException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's HTTP routes on Javalin: {@code POST /sign-csr}, {@code GET /ca.pem},
 * {@code GET /health} (readiness: etcd answers and the CA certificate is valid),
 * {@code GET /live} (the process serves) and {@code GET /metrics} (Prometheus text).
 * See docs/CA-API.md.
 */
public final class CaHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaHttpServer.class);
  private static final String SERVICE = "ca-server";

  private final Javalin app;
  private final Registry registry;
  private final CaCredentials credentials;
  private final PrometheusMeterRegistry meters;
  private final Clock clock;

  public CaHttpServer(IssuanceService issuance, Registry registry, CaCredentials credentials,
      PrometheusMeterRegistry meters, Clock clock, int maxBodyBytes, Duration retryAfter) {
    this.registry = registry;
    this.credentials = credentials;
    this.meters = meters;
    this.clock = clock;
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.http.asyncTimeout = Duration.ofMinutes(1).toMillis();
      config.http.disableCompression();
    });

    app.post("/sign-csr", new SignCsrHandler(issuance, maxBodyBytes, retryAfter));
    app.get("/ca.pem", this::caChain);
    app.get("/health", this::health);
    app.get("/live", ctx -> ErrorResponses.json(ctx, 200, Map.of("status", "UP")));
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(meters.scrape()));
    app.error(404, ctx -> ErrorResponses.write(ctx, new CaException(CaErrorCode.NOT_FOUND,
        "no such path: " + ctx.method() + " " + ctx.path() + "; see docs/CA-API.md"),
        retryAfter));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("request failed {} {}", kv("path", ctx.path()), kv("remote", ctx.ip()), e);
      ErrorResponses.write(ctx, new CaException(CaErrorCode.INTERNAL_ERROR,
          "the CA failed unexpectedly", e), retryAfter);
    });
  }

  /** Starts listening; port 0 takes a free port (see {@link #port()}). */
  public void start(String bind, int port) {
    app.start(bind, port);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private void caChain(Context ctx) {
    ctx.contentType("application/x-pem-file").result(credentials.chainPem());
  }

  private void health(Context ctx) {
    Instant caNotAfter = credentials.caCertificate().getNotAfter().toInstant();
    Map<String, Object> body = new LinkedHashMap<>();
    if (clock.instant().isAfter(caNotAfter)) {
      down(ctx, body, "the CA certificate expired at " + caNotAfter);
      return;
    }
    try {
      registry.checkHealth();
    } catch (RegistryException e) {
      down(ctx, body, e.getMessage());
      return;
    }

    body.put("status", "UP");
    body.put("service", SERVICE);
    body.put("checks", Map.of("etcd", "UP", "ca_certificate", "valid until " + caNotAfter));
    ErrorResponses.json(ctx, 200, body);
  }

  private static void down(Context ctx, Map<String, Object> body, String reason) {
    body.put("status", "DOWN");
    body.put("service", SERVICE);
    body.put("reason", reason);
    ErrorResponses.json(ctx, 503, body);
  }
}
