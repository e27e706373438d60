package dev.zerotouch.registry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shortens gRPC's reconnect backoff after an outage. gRPC waits longer and longer between
 * connection attempts while etcd is away (up to two minutes), so without help the registry
 * would notice a returning etcd long after it is back. After each call that found etcd
 * unavailable, at most once a second, this asks the channel to try again at once
 * ({@link ManagedChannel#resetConnectBackoff()}).
 *
 * <p>jetcd does not expose its channel, so it is reached by reflection on jetcd 0.8's
 * {@code ClientImpl.connectionManager.getChannel()}. Where that fails (another jetcd
 * version), the nudge does nothing and recovery follows gRPC's own backoff.
 */
final class ReconnectNudge {

  private static final Logger LOG = LoggerFactory.getLogger(ReconnectNudge.class);
  private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ManagedChannel channel;
  private final AtomicLong lastNudge = new AtomicLong(System.nanoTime() - EVERY_NANOS);

  private ReconnectNudge(ManagedChannel channel) {
    this.channel = channel;
  }

  static ReconnectNudge of(Client client) {
    try {
      Field field = client.getClass().getDeclaredField("connectionManager");
      field.setAccessible(true);
      Object manager = field.get(client);
      Method getChannel = manager.getClass().getDeclaredMethod("getChannel");
      getChannel.setAccessible(true);
      return new ReconnectNudge((ManagedChannel) getChannel.invoke(manager));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("cannot reach jetcd's channel, reconnects follow grpc's backoff {}",
          kv("error", e.toString()));
      return new ReconnectNudge(null);
    }
  }

  /** Called after a call found etcd unavailable. */
  void nudge() {
    long now = System.nanoTime();
    long last = lastNudge.get();
    if (channel == null || now - last < EVERY_NANOS || !lastNudge.compareAndSet(last, now)) {
      return;
    }
    channel.resetConnectBackoff();
  }
}
