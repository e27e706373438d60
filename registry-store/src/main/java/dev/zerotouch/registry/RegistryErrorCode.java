package dev.zerotouch.registry;

/** What went wrong in a registry call. */
public enum RegistryErrorCode {
  /** etcd did not answer within the deadline or refused the connection. Retryable. */
  UNAVAILABLE(true),
  /** The CN is held by an active certificate for another public key. */
  CN_CONFLICT(false),
  /** The serial is not in the registry, or its fingerprint does not match. */
  CERTIFICATE_UNKNOWN(false),
  /** The certificate was re-issued; a newer one holds the CN. */
  CERTIFICATE_SUPERSEDED(false),
  /** The certificate was revoked. */
  CERTIFICATE_REVOKED(false),
  /** A guarded transaction kept losing races; the caller may try again. */
  CONTENTION(true),
  /** A value in etcd could not be read (not our JSON). */
  CORRUPT_VALUE(false);

  private final boolean retryable;

  RegistryErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
