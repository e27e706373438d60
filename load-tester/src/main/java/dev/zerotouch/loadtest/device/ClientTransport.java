package dev.zerotouch.loadtest.device;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.device.session.RegistrationClient;
import dev.zerotouch.device.session.SessionOptions;
import dev.zerotouch.protocol.wire.Register;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Netty event loop group every simulated device runs on (epoll where available, NIO
 * otherwise) and device-client's {@link RegistrationClient} on top of it, which picks the
 * OpenSSL provider when netty-tcnative loads. Each device's TLS context comes from
 * {@link DeviceTls}, the same settings as device-client's but built without a key store. A
 * thread per core, not per device: ten thousand devices cost ten thousand sockets, not ten
 * thousand threads.
 */
public final class ClientTransport implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClientTransport.class);
  private static final Register REGISTER = Register.current("load-tester",
      Map.of("simulated", "true"));

  private final EventLoopGroup group;
  private final String transportName;
  private final RegistrationClient client;
  private final ServerAddress server;
  private final Duration timeout;
  private final DeviceTls tls;

  public ClientTransport(int threads, ServerAddress server, Duration timeout) {
    if (Epoll.isAvailable()) {
      group = new EpollEventLoopGroup(threads);
      client = new RegistrationClient(group, EpollSocketChannel.class);
      transportName = "epoll";
    } else {
      group = new NioEventLoopGroup(threads);
      client = new RegistrationClient(group, NioSocketChannel.class);
      transportName = "nio";
    }
    this.server = server;
    this.timeout = timeout;
    this.tls = new DeviceTls(client.provider());
    LOG.info("client transport ready", kv("transport", transportName), kv("threads", threads),
        kv("tls_provider", client.provider()));
  }

  /**
   * Builds the device's TLS context and starts its session: it connects, registers and then
   * heartbeats until stopped. {@code roundTrips} receives every heartbeat's round trip, on an
   * event loop.
   */
  public SimulatedDevice open(DeviceIdentity identity, long heartbeats,
      Consumer<Duration> roundTrips) {
    SslContext context = tls.contextFor(identity);
    SessionOptions options = new SessionOptions(server, REGISTER, OptionalLong.empty(),
        SingleAttempt.BACKOFF, timeout, timeout);
    SimulatedDevice device = new SimulatedDevice(identity.deviceId(), heartbeats, roundTrips);
    device.attach(client.open(context, options, device));
    return device;
  }

  /** OPENSSL or JDK. */
  public String tlsProvider() {
    return client.provider().name();
  }

  /** {@code epoll} or {@code nio}. */
  public String transportName() {
    return transportName;
  }

  @Override
  public void close() {
    client.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
