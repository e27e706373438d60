package dev.zerotouch.loadtest;

import java.util.Locale;

/** What went wrong for one simulated device (or for the run as a whole). */
public enum LoadTestErrorCode {
  /** The CA answered with a refusal (4xx or 503); the detail is the CA's error code. */
  CA_REFUSED,
  /** The CA could not be reached or the request failed on the way. */
  CA_UNREACHABLE,
  /** The CA answered something that is not a certificate response. */
  CA_BAD_RESPONSE,
  /** The TCP connection to the registration server could not be made. */
  CONNECT_FAILED,
  /** The TLS handshake failed, or the server's TLS alert arrived on the first read. */
  TLS_FAILED,
  /** The registration server sent an error message; the detail is its wire code. */
  SERVER_REFUSED,
  /** The connection closed before the expected answer arrived. */
  CONNECTION_CLOSED,
  /** An answer did not arrive within the configured timeout. */
  TIMEOUT,
  /** The operating system refused a file descriptor (open-file limit). */
  TOO_MANY_OPEN_FILES,
  /** Keys could not be generated, read from or written to the key cache. */
  KEY_FAILED,
  /** A setting is invalid. */
  INVALID_CONFIG,
  /** Anything else, with the exception's class as the detail. */
  UNEXPECTED;

  /** The code as it appears in error kinds and the report: {@code ca_refused}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
