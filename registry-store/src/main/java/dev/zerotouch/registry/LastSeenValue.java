package dev.zerotouch.registry;

import java.time.Instant;

/** The value under {@code lastseen/<cn>}: {@code {"last_seen": "<ISO-8601>"}}. */
record LastSeenValue(Instant lastSeen) {
}
