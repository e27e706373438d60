package dev.zerotouch.ca;

import java.util.Locale;

/**
 * Every way a CA request (or the CA's start-up) can fail, with the HTTP status it maps to and
 * the stable machine code written in the JSON error body. The codes are a public contract:
 * docs/CA-API.md lists them.
 */
public enum CaErrorCode {
  MALFORMED_BODY(400),
  MALFORMED_CSR(400),
  BAD_SIGNATURE(400),
  UNSUPPORTED_KEY(400),
  KEY_TOO_SMALL(400),
  KEY_TOO_LARGE(400),
  MISSING_CN(400),
  INVALID_CN(400),
  NOT_FOUND(404),
  CN_CONFLICT(409),
  CN_REVOKED(409),
  BODY_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  INTERNAL_ERROR(500),
  STORE_UNAVAILABLE(503),
  OVERLOADED(503),
  /** The CA key or certificate cannot be used; the server does not start. Never served. */
  CA_CREDENTIALS(500);

  private final int httpStatus;

  CaErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The code as written on the wire, such as {@code malformed_csr}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the client should try again later; such answers carry {@code Retry-After}. */
  public boolean retryable() {
    return httpStatus == 503;
  }
}
