package dev.zerotouch.registry;

/** The one exception registry calls throw; {@link #code()} says what happened. */
public final class RegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final RegistryErrorCode code;

  public RegistryException(RegistryErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public RegistryException(RegistryErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public RegistryErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }
}
