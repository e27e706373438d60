package dev.zerotouch.registration.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zerotouch.registration.metrics.ServerMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The plain HTTP side: {@code GET /health} (readiness: 200 while etcd answers, 503 with the
 * reason when it does not), {@code GET /live} (200 while the process serves) and
 * {@code GET /metrics} (Prometheus text). One thread; every answer is cheap.
 */
public final class HealthServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "registration-server";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(
      runnable -> new Thread(runnable, "zt-health-http"));
  private final EtcdHealth etcd;
  private final ServerMetrics metrics;
  private final Supplier<Map<String, Object>> details;

  /**
   * @param details facts added to a healthy answer (connected devices, TLS provider...)
   */
  public HealthServer(String bind, int port, EtcdHealth etcd, ServerMetrics metrics,
      Supplier<Map<String, Object>> details) throws IOException {
    this.etcd = etcd;
    this.metrics = metrics;
    this.details = details;
    this.server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    server.createContext("/health", exchange -> answer(exchange, this::health));
    server.createContext("/live", exchange -> answer(exchange,
        () -> json(200, Map.of("status", "UP", "service", SERVICE))));
    server.createContext("/metrics", exchange -> answer(exchange,
        () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
    server.createContext("/", exchange -> answer(exchange, () -> json(404, Map.of(
        "error", "not_found", "message", "no such path; this port serves /health, /live and "
            + "/metrics"))));
    server.setExecutor(executor);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private Reply health() {
    Optional<String> problem = etcd.problem();
    Map<String, Object> body = new LinkedHashMap<>();
    if (problem.isPresent()) {
      body.put("status", "DOWN");
      body.put("service", SERVICE);
      body.put("reason", problem.get());
      return json(503, body);
    }
    body.put("status", "UP");
    body.put("service", SERVICE);
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("etcd", "UP");
    checks.putAll(details.get());
    checks.put("connections", metrics.connections());
    body.put("checks", checks);
    return json(200, body);
  }

  private static Reply json(int status, Map<String, Object> body) {
    try {
      return new Reply(status, "application/json", JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new IllegalStateException("health body cannot be written as JSON", e);
    }
  }

  private static void answer(HttpExchange exchange, Supplier<Reply> handler) throws IOException {
    try (exchange) {
      Reply reply = exchange.getRequestMethod().equals("GET")
          ? handler.get() : json(405, Map.of("error", "method_not_allowed", "message",
              "only GET is served here"));
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Reply(int status, String contentType, String body) {
  }
}
