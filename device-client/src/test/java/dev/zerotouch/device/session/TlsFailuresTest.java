package dev.zerotouch.device.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.protocol.wire.ErrorCode;
import dev.zerotouch.protocol.wire.ProtocolException;
import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The spellings both TLS providers (the JDK's and OpenSSL's) use, mapped to one meaning. */
class TlsFailuresTest {
  private static final ServerAddress SERVER = new ServerAddress("localhost", 8443);

  private static DeviceException classify(Throwable failure) {
    return TlsFailures.classify(failure, SERVER);
  }

  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException exception = new SSLHandshakeException(message);
    exception.initCause(cause);
    return exception;
  }

  @Test
  void anUntrustedServerCertificateIsTheServersCertificate() {
    DeviceException failure = classify(new DecoderException(handshake("General OpenSslEngine"
        + " problem", new CertificateException("PKIX path building failed: unable to find valid"
        + " certification path to requested target"))));

    assertThat(failure.code()).isEqualTo(DeviceErrorCode.SERVER_CERTIFICATE_REJECTED);
    assertThat(failure).hasMessageStartingWith(
        "The registration server's certificate is not trusted by this device (PKIX path");
  }

  @Test
  void aNameMismatchSaysWhichName() {
    DeviceException failure = classify(handshake("No subject alternative DNS name matching"
        + " gateway found.", new CertificateException("No subject alternative DNS name matching"
        + " gateway found.")));

    assertThat(failure.code()).isEqualTo(DeviceErrorCode.SERVER_CERTIFICATE_REJECTED);
    assertThat(failure).hasMessageContaining("does not carry the name 'localhost'");
  }

  @Test
  void anAlertAboutOurCertificateFromTheJdkProviderIsOurCertificateRefused() {
    DeviceException failure = classify(new SSLException("Received fatal alert: bad_certificate"));

    assertThat(failure.code()).isEqualTo(DeviceErrorCode.CLIENT_CERTIFICATE_REJECTED);
    assertThat(failure).hasMessageStartingWith("The registration server localhost:8443 refused"
        + " this device's certificate (TLS alert bad_certificate)");
  }

  @Test
  void anAlertAboutOurCertificateFromOpenSslIsOurCertificateRefused() {
    DeviceException failure = classify(new DecoderException(new SSLException(
        "error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA")));

    assertThat(failure.code()).isEqualTo(DeviceErrorCode.CLIENT_CERTIFICATE_REJECTED);
    assertThat(failure).hasMessageContaining("(TLS alert unknown_ca)");
  }

  @Test
  void anotherAlertIsATlsFailureThatIsNotRetried() {
    DeviceException failure = classify(handshake("Received fatal alert: protocol_version",
        null));

    assertThat(failure.code()).isEqualTo(DeviceErrorCode.TLS_FAILED);
    assertThat(failure.retryable()).isFalse();
  }

  @Test
  void aRefusedOrDroppedConnectionIsRetryable() {
    DeviceException refused = classify(new ConnectException("Connection refused"));
    DeviceException dropped = classify(handshake("Remote host terminated the handshake",
        new ClosedChannelException()));

    assertThat(refused.code()).isEqualTo(DeviceErrorCode.SERVER_UNREACHABLE);
    assertThat(refused).hasMessage(
        "The registration server localhost:8443 cannot be reached (Connection refused).");
    assertThat(dropped.code()).isEqualTo(DeviceErrorCode.SERVER_UNREACHABLE);
    assertThat(dropped.retryable()).isTrue();
  }

  @Test
  void aBrokenFrameIsAProtocolViolation() {
    DeviceException failure = classify(new ProtocolException(ErrorCode.BAD_FRAME,
        "frame length 99999 is over the limit"));

    assertThat(failure.code()).isEqualTo(DeviceErrorCode.PROTOCOL_VIOLATION);
    assertThat(failure).hasMessageContaining("frame length 99999 is over the limit");
  }
}
