package dev.zerotouch.protocol.pki;

/** PEM text that is not what it should be. */
public final class PemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PemException(String message) {
    super(message);
  }

  public PemException(String message, Throwable cause) {
    super(message, cause);
  }
}
