package dev.zerotouch.loadtest;

/**
 * The load tester's one exception: a code, an optional detail that refines it (the CA's or the
 * server's own error code) and a message for people.
 */
public final class LoadTestException extends RuntimeException {

  private final LoadTestErrorCode code;
  private final String detail;

  public LoadTestException(LoadTestErrorCode code, String message) {
    this(code, null, message, null);
  }

  public LoadTestException(LoadTestErrorCode code, String message, Throwable cause) {
    this(code, null, message, cause);
  }

  public LoadTestException(LoadTestErrorCode code, String detail, String message,
      Throwable cause) {
    super(message, cause);
    this.code = code;
    this.detail = detail;
  }

  public LoadTestErrorCode code() {
    return code;
  }

  /** The refining code, such as the CA's {@code cn_taken}, or null. */
  public String detail() {
    return detail;
  }
}
