package dev.zerotouch.device.session;

import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.device.retry.Backoff;
import dev.zerotouch.protocol.wire.Register;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How a {@link DeviceSession} talks to the registration server.
 *
 * @param register the first message on every connection
 * @param heartbeatLimit stop cleanly after this many acknowledged heartbeats; empty: run until
 *     stopped
 * @param backoff how reconnects are spaced and when they give up; reset by each registration
 * @param connectTimeout the TCP connect deadline
 * @param registerTimeout from the TCP connection to the server's registered answer (TLS
 *     handshake included); a server that stays silent longer is treated as unreachable
 */
public record SessionOptions(
    ServerAddress server, Register register, OptionalLong heartbeatLimit, Backoff backoff,
    Duration connectTimeout, Duration registerTimeout) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REGISTER_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Heartbeat intervals with a heartbeat outstanding and no acknowledgement, after which the
   * connection is taken for dead and replaced.
   */
  public static final int MAX_UNACKNOWLEDGED = 3;

  public SessionOptions {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(register, "register");
    Objects.requireNonNull(heartbeatLimit, "heartbeatLimit");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(registerTimeout, "registerTimeout");
  }

  public SessionOptions(ServerAddress server, Register register, OptionalLong heartbeatLimit,
      Backoff backoff) {
    this(server, register, heartbeatLimit, backoff, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REGISTER_TIMEOUT);
  }
}
