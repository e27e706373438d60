package dev.zerotouch.device.session;

import dev.zerotouch.device.DeviceException;
import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.Registered;
import java.time.Duration;

/**
 * What a {@link DeviceSession} reports as it goes. Called on the session's event loop: keep
 * the work short and never block. Every method defaults to nothing.
 */
public interface SessionListener {
  SessionListener NONE = new SessionListener() {
  };

  /** Connection attempt {@code attempt} (1-based, counted over the whole session) starts. */
  default void connecting(ServerAddress server, int attempt) {
  }

  /** The TLS handshake completed; the register message goes out next. */
  default void tlsEstablished(ServerAddress server, String protocol, String cipherSuite) {
  }

  /** The server committed the registration; {@code count} is 1 for the first of the session. */
  default void registered(Registered registered, int count) {
  }

  /** A heartbeat was acknowledged; {@code acknowledged} counts them over the whole session. */
  default void heartbeatAcknowledged(long sequence, Duration roundTrip, long acknowledged) {
  }

  /** The server sent an error message (it closes the connection next). */
  default void serverError(ErrorMessage error) {
  }

  /** The connection failed or dropped for a retryable reason; attempt again after a delay. */
  default void reconnecting(DeviceException reason, Duration delay, int nextAttempt) {
  }
}
