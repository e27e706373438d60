package dev.zerotouch.loadtest.metrics;

/**
 * The failures of one kind.
 *
 * @param kind phase, code and, where there is one, the peer's own code:
 *     {@code provision/ca_refused:cn_taken}
 * @param count how many times it happened
 * @param example the first one: the device's Common Name and the message
 */
public record ErrorGroup(String kind, long count, String example) {
}
