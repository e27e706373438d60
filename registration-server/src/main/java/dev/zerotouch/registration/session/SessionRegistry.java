package dev.zerotouch.registration.session;

import io.netty.channel.Channel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registered connections of this server, by device id (CN) and by certificate serial, so
 * that the revocation watch and shutdown can reach them. One connection per CN: when a device
 * registers again while an older connection of it is still open, the newest one wins and the
 * caller closes the one {@link #put} returns.
 */
public final class SessionRegistry {

  private final ConcurrentMap<String, Channel> byCn = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Channel> bySerial = new ConcurrentHashMap<>();

  /** Records {@code channel} as the CN's connection; returns the one it replaces, if any. */
  public Optional<Channel> put(String cn, String serial, Channel channel) {
    bySerial.put(serial, channel);
    Channel previous = byCn.put(cn, channel);
    return previous == null || previous == channel ? Optional.empty() : Optional.of(previous);
  }

  /**
   * Forgets {@code channel}; returns whether it was still the CN's current connection (false
   * when a newer connection replaced it, whose presence must then stay).
   */
  public boolean remove(String cn, String serial, Channel channel) {
    bySerial.remove(serial, channel);
    return byCn.remove(cn, channel);
  }

  public Optional<Channel> bySerial(String serial) {
    return Optional.ofNullable(bySerial.get(serial));
  }

  public Optional<Channel> byCn(String cn) {
    return Optional.ofNullable(byCn.get(cn));
  }

  public List<Channel> channels() {
    return List.copyOf(byCn.values());
  }

  public int size() {
    return byCn.size();
  }
}
