package dev.zerotouch.loadtest.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.protocol.wire.ErrorCode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DeviceFailuresTest {

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
}
