package dev.zerotouch.device.session;

import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.protocol.wire.ProtocolException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what went wrong on a connection into a message that says which side's certificate was
 * refused and why, where that can be known. Our own checks of the server's certificate fail
 * with a certificate exception in the cause chain; the server's refusal of our certificate
 * arrives as a TLS alert, in TLS 1.3 often only on the first read after the handshake.
 */
final class TlsFailures {
  private static final Pattern ALERT = Pattern.compile("alert[_:\\s]+([a-z0-9_]+)");

  private TlsFailures() {
  }

  static DeviceException classify(Throwable failure, ServerAddress server) {
    Optional<ProtocolException> protocol = find(failure, ProtocolException.class);
    if (protocol.isPresent()) {
      return new DeviceException(DeviceErrorCode.PROTOCOL_VIOLATION, "The registration server "
          + server + " sent something that breaks the protocol (" + protocol.get().getMessage()
          + ").", protocol.get());
    }
    String text = messages(failure);
    if (isServerCertificateProblem(failure, text)) {
      return serverCertificateRejected(failure, server, text);
    }
    Matcher alert = ALERT.matcher(text);
    if (alert.find() && find(failure, SSLException.class).isPresent()) {
      return alertReceived(failure, server, alert.group(1));
    }
    if (find(failure, SSLHandshakeException.class).isPresent() && !looksLikeDroppedConnection(
        text)) {
      return new DeviceException(DeviceErrorCode.TLS_FAILED, "The TLS handshake with " + server
          + " failed (" + rootMessage(failure) + ").", failure);
    }
    return new DeviceException(DeviceErrorCode.SERVER_UNREACHABLE, "The registration server "
        + server + " cannot be reached (" + rootMessage(failure) + ").", failure);
  }

  private static boolean isServerCertificateProblem(Throwable failure, String text) {
    return find(failure, CertificateException.class).isPresent()
        || find(failure, CertPathValidatorException.class).isPresent()
        || find(failure, CertPathBuilderException.class).isPresent()
        || text.contains("certificate_verify_failed");
  }

  private static DeviceException serverCertificateRejected(Throwable failure,
      ServerAddress server, String text) {
    if (text.contains("no subject alternative") || text.contains("no name matching")) {
      return new DeviceException(DeviceErrorCode.SERVER_CERTIFICATE_REJECTED,
          "The registration server's certificate does not carry the name '" + server.host()
              + "' (" + rootMessage(failure) + "). Connect with a name its certificate holds,"
              + " or have the operator issue it one with this name.", failure);
    }
    return new DeviceException(DeviceErrorCode.SERVER_CERTIFICATE_REJECTED,
        "The registration server's certificate is not trusted by this device ("
            + rootMessage(failure) + "): it is not signed by the CA the device trusts (ca.pem"
            + " from provisioning, or --ca-cert).", failure);
  }

  private static DeviceException alertReceived(Throwable failure, ServerAddress server,
      String alert) {
    boolean aboutOurCertificate = alert.contains("certificate") || alert.equals("unknown_ca")
        || alert.equals("access_denied") || alert.equals("decrypt_error");
    if (aboutOurCertificate) {
      return new DeviceException(DeviceErrorCode.CLIENT_CERTIFICATE_REJECTED,
          "The registration server " + server + " refused this device's certificate (TLS alert "
              + alert + "). It may be expired, revoked, or from a CA the server does not trust;"
              + " move the identity directory away to provision a new one.", failure);
    }
    return new DeviceException(DeviceErrorCode.TLS_FAILED, "The registration server " + server
        + " ended the TLS handshake (TLS alert " + alert + ").", failure);
  }

  private static boolean looksLikeDroppedConnection(String text) {
    return text.contains("terminated the handshake") || text.contains("connection reset")
        || text.contains("closed") || text.contains("timed out");
  }

  private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  private static String messages(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
    }
    return text.toString().toLowerCase(Locale.ROOT);
  }

  static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
