package dev.zerotouch.device;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception of the device client: a {@link DeviceErrorCode} and a message written for
 * the person running the device, saying what is wrong and, where it helps, what to do.
 */
public final class DeviceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DeviceErrorCode code;
  private final transient Duration retryAfter;

  public DeviceException(DeviceErrorCode code, String message) {
    this(code, message, null, null);
  }

  public DeviceException(DeviceErrorCode code, String message, Throwable cause) {
    this(code, message, null, cause);
  }

  /** With the delay the peer asked for before the next attempt (HTTP Retry-After). */
  public DeviceException(DeviceErrorCode code, String message, Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.retryAfter = retryAfter;
  }

  public DeviceErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
