package dev.zerotouch.protocol.wire;

/** The stable codes an {@link ErrorMessage} carries; {@link #wireCode()} is what travels. */
public enum ErrorCode {
  BAD_FRAME(false),
  UNKNOWN_MESSAGE(false),
  UNSUPPORTED_VERSION(false),
  INVALID_REGISTER(false),
  NOT_REGISTERED(false),
  ALREADY_REGISTERED(false),
  CERTIFICATE_UNKNOWN(false),
  CERTIFICATE_REVOKED(false),
  CERTIFICATE_SUPERSEDED(false),
  HEARTBEAT_TIMEOUT(true),
  REGISTRY_UNAVAILABLE(true),
  SERVER_BUSY(true),
  SHUTTING_DOWN(true),
  INTERNAL_ERROR(true);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  public String wireCode() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public ErrorMessage message(String text) {
    return new ErrorMessage(wireCode(), text, retryable);
  }
}
