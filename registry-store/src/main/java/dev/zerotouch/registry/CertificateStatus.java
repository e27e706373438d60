package dev.zerotouch.registry;

/** Where an issued certificate stands; stored lowercase. */
public enum CertificateStatus {
  ACTIVE,
  SUPERSEDED,
  REVOKED
}
