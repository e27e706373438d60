package dev.zerotouch.registration.pipeline;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.protocol.identity.DeviceIds;
import dev.zerotouch.protocol.pki.Fingerprints;
import dev.zerotouch.protocol.wire.ErrorCode;
import dev.zerotouch.registration.metrics.ServerMetrics;
import dev.zerotouch.registration.session.ConnectionState;
import dev.zerotouch.registration.session.Refusals;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.ByteArrayInputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once per connection, when the TLS handshake ends. On success it takes the device's
 * identity (CN, serial, fingerprint) from the verified client certificate and checks what the
 * TLS stack may not: extended key usage clientAuth, the validity period, and that the CN is a
 * valid device id. A refusal is an error message, then close. The handler then removes itself.
 */
@Sharable
public final class PeerCertificateHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(PeerCertificateHandler.class);
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final ServerMetrics metrics;

  public PeerCertificateHandler(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (!(event instanceof SslHandshakeCompletionEvent completion)) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    ConnectionState state = ConnectionState.of(ctx.channel());
    ctx.pipeline().remove(this);

    if (!completion.isSuccess()) {
      String reason = describe(completion.cause());
      metrics.handshake("failed");
      state.outcome("handshake_failed: " + reason);
      ctx.close();
      return;
    }
    X509Certificate certificate = peerCertificate(ctx).orElse(null);
    Optional<String> refusal = certificate == null
        ? Optional.of("no client certificate") : refusalOf(certificate);
    if (refusal.isPresent()) {
      metrics.handshake("refused");
      LOG.debug("client certificate refused {} {}", kv("remote", state.remote()),
          kv("reason", refusal.get()));
      Refusals.refuse(ctx.channel(), ErrorCode.CERTIFICATE_UNKNOWN, refusal.get(),
          "certificate_refused: " + refusal.get());
      return;
    }

    metrics.handshake("ok");
    state.authenticated(commonName(certificate).orElseThrow(),
        Fingerprints.serialHex(certificate.getSerialNumber()), Fingerprints.of(certificate));
    ctx.fireUserEventTriggered(event);
  }

  /**
   * The client certificate, parsed from its bytes into an object of our own: the TLS session
   * keeps its peer certificates for the connection's lifetime, and with the OpenSSL provider
   * reading one there parses it in place and keeps the parsed form too (several KiB per
   * connection); our copy is garbage once the device is identified.
   */
  private static Optional<X509Certificate> peerCertificate(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      if (chain.length == 0) {
        return Optional.empty();
      }
      Certificate parsed = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(chain[0].getEncoded()));
      return parsed instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
    } catch (SSLPeerUnverifiedException | CertificateException e) {
      return Optional.empty();
    }
  }

  /** Why the certificate may not be used by a device, if it may not. */
  static Optional<String> refusalOf(X509Certificate certificate) {
    try {
      certificate.checkValidity();
    } catch (CertificateException e) {
      return Optional.of("client certificate is outside its validity period");
    }
    List<String> usages;
    try {
      usages = certificate.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return Optional.of("client certificate has an unreadable extended key usage");
    }
    if (usages == null || !usages.contains(CLIENT_AUTH)) {
      return Optional.of("client certificate lacks extended key usage clientAuth");
    }
    Optional<String> cn = commonName(certificate);
    if (cn.isEmpty() || !DeviceIds.isValid(cn.get())) {
      return Optional.of("client certificate CN is not a valid device id");
    }
    return Optional.empty();
  }

  static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) {
          return Optional.of(cn);
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
