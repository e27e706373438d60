package dev.zerotouch.registration.session;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.protocol.wire.ErrorCode;
import dev.zerotouch.registry.PresenceRecord;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device state of this server: registered connections, their presence keys and their
 * last-seen times. Registering makes the connection the CN's current one (an older connection
 * of the same CN is closed with {@code already_registered}: the newest wins), announces
 * presence and notes last-seen; a clean disconnect withdraws presence at once.
 */
public final class DeviceSessions {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSessions.class);

  private final SessionRegistry sessions;
  private final PresenceSync presence;
  private final LastSeenBuffer lastSeen;
  private final String serverId;
  private volatile boolean shuttingDown;

  public DeviceSessions(SessionRegistry sessions, PresenceSync presence, LastSeenBuffer lastSeen,
      String serverId) {
    this.sessions = sessions;
    this.presence = presence;
    this.lastSeen = lastSeen;
    this.serverId = serverId;
  }

  /** Called on the channel's event loop once the registration is committed. */
  public void registered(Channel channel, ConnectionState state) {
    sessions.put(state.cn(), state.serial(), channel).ifPresent(older -> {
      LOG.info("closing older connection of a device that registered again {} {}",
          kv("cn", state.cn()), kv("remote", ConnectionState.of(older).remote()));
      Refusals.refuse(older, ErrorCode.ALREADY_REGISTERED,
          "a newer connection of this device registered", "replaced_by_newer_connection");
    });
    presence.announce(state.cn(), presenceRecord(state));
    lastSeen.touch(state.cn());
  }

  public void heartbeat(ConnectionState state) {
    lastSeen.touch(state.cn());
  }

  public void disconnected(Channel channel, ConnectionState state) {
    boolean current = sessions.remove(state.cn(), state.serial(), channel);
    if (current && !shuttingDown) {
      presence.withdraw(state.cn());
    }
  }

  public int connectedDevices() {
    return sessions.size();
  }

  /**
   * Tells every registered device that the server is shutting down and closes its connection.
   * Presence is not withdrawn key by key: revoking the lease removes it all at once.
   */
  public List<ChannelFuture> closeAll() {
    shuttingDown = true;
    List<Channel> channels = sessions.channels();
    for (Channel channel : channels) {
      Refusals.refuse(channel, ErrorCode.SHUTTING_DOWN, "server shutting down, reconnect later",
          "server_shutdown");
    }
    return channels.stream().map(Channel::closeFuture).toList();
  }

  private PresenceRecord presenceRecord(ConnectionState state) {
    return new PresenceRecord(serverId, state.serial(), state.remote(),
        Instant.ofEpochMilli(state.registeredAtMillis()));
  }
}
