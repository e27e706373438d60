package dev.zerotouch.ca;

/**
 * The one exception of the CA: a {@link CaErrorCode} and a message written for the person who
 * sent the request (what is wrong and what to do). The HTTP layer maps it to one status and
 * one JSON error body.
 */
public final class CaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final CaErrorCode code;

  public CaException(CaErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public CaException(CaErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public CaErrorCode code() {
    return code;
  }
}
