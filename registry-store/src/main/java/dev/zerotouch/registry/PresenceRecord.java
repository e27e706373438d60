package dev.zerotouch.registry;

import java.time.Instant;

/** The value under {@code presence/<cn>}, attached to the holding server's lease. */
public record PresenceRecord(String serverId, String serial, String remoteAddress,
    Instant connectedAt) {
}
