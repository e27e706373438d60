package dev.zerotouch.loadtest.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.wire.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DeviceFailuresTest {

  @Test
  void aCaRefusalKeepsTheCasErrorCodeAsDetail() {
    DeviceException refused = new DeviceException(DeviceErrorCode.CA_REFUSED,
        "The CA refused the CSR (HTTP 409, cn_taken: the CN is held by another key).");

    LoadTestException failure = DeviceFailures.translate(new CompletionException(refused), null);

    assertThat(failure.code()).isEqualTo(LoadTestErrorCode.CA_REFUSED);
    assertThat(failure.detail()).isEqualTo("cn_taken");
    assertThat(failure).hasMessageContaining("HTTP 409, cn_taken").hasCause(refused);
  }

  @Test
  void aCaAnswerWithoutCodeKeepsItsStatus() {
    LoadTestException failure = DeviceFailures.translate(new DeviceException(
        DeviceErrorCode.CA_UNAVAILABLE, "The CA cannot sign right now (HTTP 502)."), null);

    assertThat(failure.code()).isEqualTo(LoadTestErrorCode.CA_UNAVAILABLE);
    assertThat(failure.detail()).isEqualTo("http_502");
  }

  @Test
  void aServerRefusalKeepsTheWireCodeTheSessionReported() {
    LoadTestException failure = DeviceFailures.translate(
        new DeviceException(DeviceErrorCode.SERVER_REFUSED, "refused"),
        ErrorCode.CERTIFICATE_UNKNOWN.message("not issued here"));

    assertThat(failure.code()).isEqualTo(LoadTestErrorCode.SERVER_REFUSED);
    assertThat(failure.detail()).isEqualTo("certificate_unknown");
  }

  @Test
  void runningOutOfFileDescriptorsIsItsOwnKind() {
    LoadTestException failure = DeviceFailures.translate(new DeviceException(
        DeviceErrorCode.SERVER_UNREACHABLE, "cannot connect",
        new IOException("connect(..) failed: Too many open files")), null);

    assertThat(failure.code()).isEqualTo(LoadTestErrorCode.TOO_MANY_OPEN_FILES);
  }

  @Test
  void anythingElseIsUnexpectedWithItsClass() {
    LoadTestException failure = DeviceFailures.translate(new IllegalStateException("odd"), null);

    assertThat(failure.code()).isEqualTo(LoadTestErrorCode.UNEXPECTED);
    assertThat(failure.detail()).isEqualTo("IllegalStateException");
  }

  @Test
  void theSignUrlIsBelowTheCaUrlWithOrWithoutATrailingSlash() {
    assertThat(CaProvisioning.signUri(URI.create("http://ca:8080")))
        .isEqualTo(URI.create("http://ca:8080/sign-csr"));
    assertThat(CaProvisioning.signUri(URI.create("http://ca:8080/zt/")))
        .isEqualTo(URI.create("http://ca:8080/zt/sign-csr"));
  }
}
