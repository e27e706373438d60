package dev.zerotouch.device;

import static net.logstash.logback.argument.StructuredArguments.v;

import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.device.provisioning.ProvisioningListener;
import dev.zerotouch.device.session.SessionListener;
import dev.zerotouch.protocol.wire.Registered;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the person running the device what happens, one plain line per step. */
final class ConsoleReporter implements ProvisioningListener, SessionListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleReporter.class);

  @Override
  public void sending(URI url, int attempt) {
    if (attempt == 1) {
      LOG.info("Sending CSR to {}...", v("ca_url", url.toString()));
    } else {
      LOG.info("Sending CSR to {} (attempt {})...", v("ca_url", url.toString()),
          v("attempt", attempt));
    }
  }

  @Override
  public void retrying(DeviceException failure, Duration delay, int nextAttempt) {
    LOG.warn("{} Retrying in {}...", v("reason", failure.getMessage()),
        v("delay", seconds(delay)));
  }

  @Override
  public void connecting(ServerAddress server, int attempt) {
    if (attempt == 1) {
      LOG.info("Connecting to {} (mutual TLS)...", v("server", server.toString()));
    } else {
      LOG.info("Connecting to {} (mutual TLS, attempt {})...", v("server", server.toString()),
          v("attempt", attempt));
    }
  }

  @Override
  public void tlsEstablished(ServerAddress server, String protocol, String cipherSuite) {
    LOG.info("TLS established ({}, {}); registering...", v("tls_protocol", protocol),
        v("cipher_suite", cipherSuite));
  }

  @Override
  public void registered(Registered registered, int count) {
    String how;
    if (count > 1) {
      how = "again after reconnecting";
    } else {
      how = registered.firstRegistration() ? "first registration" : "registered before";
    }
    LOG.info("Registered as {} ({}) — heartbeat every {}s", v("device", registered.deviceId()),
        how, v("heartbeat_interval_s", registered.heartbeatIntervalSeconds()));
  }

  @Override
  public void heartbeatAcknowledged(long sequence, Duration roundTrip, long acknowledged) {
    LOG.info("Heartbeat {} acknowledged (rtt {} ms)", v("sequence", sequence),
        v("rtt_ms", String.format(Locale.ROOT, "%.1f", roundTrip.toNanos() / 1e6)));
  }

  @Override
  public void reconnecting(DeviceException reason, Duration delay, int nextAttempt) {
    LOG.warn("{} Reconnecting in {}...", v("reason", reason.getMessage()),
        v("delay", seconds(delay)));
  }

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
