package dev.zerotouch.registry;

/** The value under {@code cns/<cn>}: the CN's current certificate and its key. */
public record CnRecord(String serial, String publicKeyFingerprint) {
}
