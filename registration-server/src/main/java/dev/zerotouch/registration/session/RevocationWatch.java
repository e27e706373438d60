package dev.zerotouch.registration.session;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.protocol.wire.ErrorCode;
import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.CertificateStatus;
import dev.zerotouch.registry.Registry;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes live connections whose certificate becomes revoked or superseded, from the registry's
 * certificate watch, with {@code certificate_revoked} or {@code certificate_superseded}.
 *
 * <p>A status change that lands between a registration's commit and the moment its connection
 * joins the {@link SessionRegistry} (a few milliseconds) is not seen here; that connection is
 * refused at its next registration instead.
 */
public final class RevocationWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RevocationWatch.class);

  private final SessionRegistry sessions;
  private AutoCloseable handle;

  public RevocationWatch(SessionRegistry sessions) {
    this.sessions = sessions;
  }

  public void start(Registry registry) {
    handle = registry.watchCertificates(this::onChange);
  }

  void onChange(CertificateRecord certificate) {
    if (certificate.status() == CertificateStatus.ACTIVE) {
      return;
    }
    Channel channel = sessions.bySerial(certificate.serial()).orElse(null);
    if (channel == null) {
      return;
    }
    boolean revoked = certificate.status() == CertificateStatus.REVOKED;
    ErrorCode code = revoked ? ErrorCode.CERTIFICATE_REVOKED : ErrorCode.CERTIFICATE_SUPERSEDED;
    String outcome = revoked ? "revoked" : "superseded";
    LOG.info("closing connection of a {} certificate {} {}", outcome,
        kv("cn", certificate.cn()), kv("serial", certificate.serial()));
    Refusals.refuse(channel, code, "certificate " + certificate.serial() + " was " + outcome,
        outcome);
  }

  @Override
  public void close() {
    if (handle == null) {
      return;
    }
    try {
      handle.close();
    } catch (Exception e) {
      LOG.warn("certificate watch did not close cleanly {}", kv("reason", e.getMessage()));
    }
  }
}
