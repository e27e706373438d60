package dev.zerotouch.registration.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus meters: open connections, registered devices, handshakes and
 * registrations by outcome, heartbeats. Outcomes are a small fixed vocabulary, so the tag
 * cardinality stays bounded.
 */
public final class ServerMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentMap<String, Counter> handshakes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> registrations = new ConcurrentHashMap<>();
  private final Counter heartbeats;
  private final Timer registrationTime;

  public ServerMetrics(IntSupplier registeredDevices) {
    Gauge.builder("zt_connections", connections, AtomicInteger::get)
        .description("open TCP connections")
        .register(registry);
    Gauge.builder("zt_registered_devices", registeredDevices::getAsInt)
        .description("connections whose device is registered")
        .register(registry);
    heartbeats = Counter.builder("zt_heartbeats")
        .description("heartbeats answered")
        .register(registry);
    registrationTime = Timer.builder("zt_registration_duration")
        .description("register message to committed registration")
        .register(registry);
  }

  /** Counts a new connection; returns the number now open. */
  public int connectionOpened() {
    return connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public int connections() {
    return connections.get();
  }

  public void handshake(String outcome) {
    handshakes.computeIfAbsent(outcome, o -> Counter.builder("zt_handshakes")
        .description("TLS handshakes by outcome")
        .tag("outcome", o)
        .register(registry)).increment();
  }

  public void registration(String outcome, Duration duration) {
    registrations.computeIfAbsent(outcome, o -> Counter.builder("zt_registrations")
        .description("registrations by outcome")
        .tag("outcome", o)
        .register(registry)).increment();
    if (outcome.equals("registered")) {
      registrationTime.record(duration);
    }
  }

  public void heartbeat() {
    heartbeats.increment();
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
