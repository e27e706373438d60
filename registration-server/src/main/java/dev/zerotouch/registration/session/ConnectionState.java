package dev.zerotouch.registration.session;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the server knows about one connection, kept as a channel attribute so that the
 * pipeline's handlers can be shared between connections. Written on the channel's event loop;
 * fields other threads read (the revocation watch, shutdown) are volatile.
 */
public final class ConnectionState {

  private static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf("zt.connection");

  /** Where a connection stands. */
  public enum Phase {
    HANDSHAKING,
    AUTHENTICATED,
    REGISTERING,
    REGISTERED
  }

  private final long openedNanos = System.nanoTime();
  private final String remote;
  private volatile Phase phase = Phase.HANDSHAKING;
  private volatile String cn;
  private volatile String serial;
  private String fingerprint;
  private long registeredAtMillis;
  private volatile String outcome;

  private ConnectionState(String remote) {
    this.remote = remote;
  }

  /** Attaches a fresh state to a newly accepted channel. */
  public static ConnectionState attach(Channel channel) {
    ConnectionState state = new ConnectionState(describe(channel.remoteAddress()));
    channel.attr(KEY).set(state);
    return state;
  }

  public static ConnectionState of(Channel channel) {
    return channel.attr(KEY).get();
  }

  private static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  public void authenticated(String commonName, String certificateSerial, String certFingerprint) {
    this.cn = commonName;
    this.serial = certificateSerial;
    this.fingerprint = certFingerprint;
    this.phase = Phase.AUTHENTICATED;
  }

  public void registering() {
    phase = Phase.REGISTERING;
  }

  public void registered(long nowMillis) {
    registeredAtMillis = nowMillis;
    phase = Phase.REGISTERED;
  }

  /**
   * Records why the connection ends; the first reason wins, so that the close that follows a
   * refusal is not reported as the peer hanging up.
   */
  public void outcome(String reason) {
    if (outcome == null) {
      outcome = reason;
    }
  }

  public String outcome() {
    return outcome;
  }

  public Phase phase() {
    return phase;
  }

  public String remote() {
    return remote;
  }

  public String cn() {
    return cn;
  }

  public String serial() {
    return serial;
  }

  public String fingerprint() {
    return fingerprint;
  }

  public long registeredAtMillis() {
    return registeredAtMillis;
  }

  public long ageMillis() {
    return (System.nanoTime() - openedNanos) / 1_000_000;
  }
}
