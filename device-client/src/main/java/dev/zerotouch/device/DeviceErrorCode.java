package dev.zerotouch.device;

/**
 * What went wrong for a device, and whether trying again later can help. The command line
 * maps a retryable code that ran out of attempts to {@link ExitCodes#UNREACHABLE} and every
 * other code to {@link ExitCodes#REFUSED}.
 */
public enum DeviceErrorCode {
  /** The identity directory holds something that is not a complete, consistent identity. */
  IDENTITY_CORRUPT(false),
  /** The identity on disk belongs to another device id than the one asked for. */
  IDENTITY_MISMATCH(false),
  /** The identity directory cannot be written or read (permissions, disk). */
  IDENTITY_IO(false),
  /** The CA refused the CSR (4xx with an error code). */
  CA_REFUSED(false),
  /** The CA answered something this client does not understand. */
  CA_BAD_RESPONSE(false),
  /** The CA answered 503 or another 5xx: it is up but cannot sign right now. */
  CA_UNAVAILABLE(true),
  /** No answer from the CA: connection refused, reset or timed out. */
  CA_UNREACHABLE(true),
  /** The registration server's certificate is not trusted or does not carry its name. */
  SERVER_CERTIFICATE_REJECTED(false),
  /** The registration server refused our certificate in the TLS handshake. */
  CLIENT_CERTIFICATE_REJECTED(false),
  /** The TLS handshake failed for another reason (protocol version, cipher). */
  TLS_FAILED(false),
  /** The registration server refused the device with a non-retryable error. */
  SERVER_REFUSED(false),
  /** The registration server broke the wire protocol. */
  PROTOCOL_VIOLATION(false),
  /** The registration server answered a retryable error (busy, registry unavailable). */
  SERVER_UNAVAILABLE(true),
  /** The registration server cannot be reached, or the connection dropped. */
  SERVER_UNREACHABLE(true);

  private final boolean retryable;

  DeviceErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The process exit code for a run that ends with this error. */
  public int exitCode() {
    return retryable ? ExitCodes.UNREACHABLE : ExitCodes.REFUSED;
  }
}
