package dev.zerotouch.device.session;

/**
 * How a session ended without error: by reaching its heartbeat limit or by being stopped.
 *
 * @param registrations registrations committed by the server (one per connection)
 * @param heartbeatsSent heartbeats written to the wire
 * @param heartbeatsAcknowledged heartbeats the server acknowledged
 */
public record SessionResult(int registrations, long heartbeatsSent, long heartbeatsAcknowledged) {
}
