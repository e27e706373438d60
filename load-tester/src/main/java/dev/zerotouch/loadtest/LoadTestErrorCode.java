package dev.zerotouch.loadtest;

import java.util.Locale;

/**
 * What went wrong for one simulated device, or for the run as a whole. The device codes follow
 * device-client's {@code DeviceErrorCode}, since the devices are device-client's own classes.
 */
public enum LoadTestErrorCode {
  /** The CA refused the CSR (4xx); the detail is the status and the CA's error code. */
  CA_REFUSED,
  /** The CA answered 503 or another 5xx; the detail is the status and code. */
  CA_UNAVAILABLE,
  /** The CA could not be reached, or did not answer in time. */
  CA_UNREACHABLE,
  /** The CA answered something that is not a certificate response. */
  CA_BAD_RESPONSE,
  /** The registration server's certificate was not trusted or lacks its name. */
  SERVER_CERTIFICATE_REJECTED,
  /** The registration server refused the device's certificate in the TLS handshake. */
  CLIENT_CERTIFICATE_REJECTED,
  /** The TLS handshake failed for another reason. */
  TLS_FAILED,
  /** The registration server refused the device; the detail is its wire error code. */
  SERVER_REFUSED,
  /** The registration server answered a retryable error; the detail is its wire code. */
  SERVER_UNAVAILABLE,
  /** The registration server could not be reached, did not answer, or dropped the device. */
  SERVER_UNREACHABLE,
  /** The registration server broke the wire protocol. */
  PROTOCOL_VIOLATION,
  /** The operating system refused a file descriptor (the open-file limit). */
  TOO_MANY_OPEN_FILES,
  /** Keys could not be generated, read from or written to the key cache, or CSRs built. */
  KEY_FAILED,
  /** A setting is invalid. */
  INVALID_CONFIG,
  /** The report could not be written. */
  REPORT_FAILED,
  /** Anything else; the detail is the exception's class. */
  UNEXPECTED;

  /** The code as it appears in error kinds and the report: {@code ca_refused}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
