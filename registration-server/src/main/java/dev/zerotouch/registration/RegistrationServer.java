package dev.zerotouch.registration;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.protocol.pki.TlsContexts;
import dev.zerotouch.registration.config.ServerConfig;
import dev.zerotouch.registration.config.ServerCredentials;
import dev.zerotouch.registration.http.EtcdHealth;
import dev.zerotouch.registration.http.HealthServer;
import dev.zerotouch.registration.metrics.ServerMetrics;
import dev.zerotouch.registration.pipeline.ConnectionTracker;
import dev.zerotouch.registration.pipeline.HeartbeatHandler;
import dev.zerotouch.registration.pipeline.PeerCertificateHandler;
import dev.zerotouch.registration.pipeline.RegistrationHandler;
import dev.zerotouch.registration.pipeline.ServerInitializer;
import dev.zerotouch.registration.session.DeviceSessions;
import dev.zerotouch.registration.session.LastSeenBuffer;
import dev.zerotouch.registration.session.PresenceSync;
import dev.zerotouch.registration.session.Registrar;
import dev.zerotouch.registration.session.RevocationWatch;
import dev.zerotouch.registration.session.SessionRegistry;
import dev.zerotouch.registry.Registry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration server: the mutual-TLS listener with its pipeline, the device state
 * (sessions, presence, last-seen, revocation watch) and the HTTP health side. Start it with
 * {@link #start}; {@link #close} shuts it down in order. The registry belongs to the caller.
 */
public final class RegistrationServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistrationServer.class);

  /** Per-connection write buffer bounds: beyond the high mark the peer is not reading. */
  static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(8 * 1024, 32 * 1024);
  static final int ACCEPT_BACKLOG = 4096;

  /**
   * Kernel receive buffer per connection: devices send small frames, so 32 KiB (two full TLS
   * records) is plenty and keeps kernel memory bounded at tens of thousands of connections.
   */
  static final int SOCKET_RECEIVE_BUFFER = 32 * 1024;

  /** Read buffers sized between 64 bytes and one TLS record, allocated only during a read. */
  static final AdaptiveRecvByteBufAllocator READ_BUFFERS =
      new AdaptiveRecvByteBufAllocator(64, 1024, 17 * 1024);

  private final ServerConfig config;
  private final SslProvider provider;
  private final ServerMetrics metrics;
  private final Registrar registrar;
  private final DeviceSessions sessions;
  private final PresenceSync presence;
  private final LastSeenBuffer lastSeen;
  private final RevocationWatch revocations;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;
  private final HealthServer health;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RegistrationServer(ServerConfig config, ServerCredentials credentials,
      Registry registry) throws IOException, InterruptedException {
    this.config = config;
    this.provider = TlsContexts.preferredProvider();
    SslContext sslContext = TlsContexts.forServer(credentials.key(), credentials.chain(),
        credentials.trustedCas(), config.allowTls12(), provider);

    SessionRegistry sessionRegistry = new SessionRegistry();
    this.presence = new PresenceSync(registry, config.serverId(), config.presenceTtl());
    this.lastSeen = new LastSeenBuffer(registry, config.lastSeenFlush());
    this.sessions = new DeviceSessions(sessionRegistry, presence, lastSeen, config.serverId());
    this.metrics = new ServerMetrics(sessions::connectedDevices);
    this.registrar = new Registrar(registry, config.registryThreads(), config.registryQueue(),
        config.registryLinger());
    this.revocations = new RevocationWatch(sessionRegistry);

    presence.start();
    lastSeen.start();
    revocations.start(registry);

    ServerInitializer initializer = new ServerInitializer(sslContext, config.handshakeTimeout(),
        new ConnectionTracker(metrics, config.maxConnections()),
        new PeerCertificateHandler(metrics),
        new RegistrationHandler(registrar, sessions, metrics, config.heartbeatInterval(),
            config.heartbeatTimeout()),
        new HeartbeatHandler(sessions, metrics, config.heartbeatTimeout(),
            config.handshakeTimeout()));
    boolean epoll = Epoll.isAvailable();
    this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    int loops = config.eventLoopThreads();
    this.workers = epoll ? new EpollEventLoopGroup(loops) : new NioEventLoopGroup(loops);
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.listener = new ServerBootstrap()
        .group(boss, workers)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
        .childOption(ChannelOption.SO_RCVBUF, SOCKET_RECEIVE_BUFFER)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, READ_BUFFERS)
        .childHandler(initializer)
        .bind(config.bind(), config.port())
        .sync()
        .channel();

    this.health = new HealthServer(config.bind(), config.healthPort(),
        new EtcdHealth(registry, config.healthCacheTtl()), metrics, this::healthDetails);
    health.start();
    LOG.info("registration server listening {} {} {} {} {} {}", kv("bind", config.bind()),
        kv("port", port()), kv("health_port", health.port()), kv("tls_provider", provider),
        kv("transport", epoll ? "epoll" : "nio"), kv("event_loops", loops));
  }

  /**
   * Binds the listener and the health port and starts the background work (presence lease,
   * last-seen flushes, revocation watch). etcd need not be up: the server then answers
   * registrations with a retryable error and {@code /health} with 503 until it is.
   */
  public static RegistrationServer start(ServerConfig config, ServerCredentials credentials,
      Registry registry) {
    try {
      return new RegistrationServer(config, credentials, registry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the health port " + config.healthPort(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding", e);
    }
  }

  public int port() {
    return ((java.net.InetSocketAddress) listener.localAddress()).getPort();
  }

  public int healthPort() {
    return health.port();
  }

  public SslProvider tlsProvider() {
    return provider;
  }

  public int connectedDevices() {
    return sessions.connectedDevices();
  }

  /** Writes pending last-seen times now (the tests use it instead of waiting for a round). */
  public int flushLastSeen() {
    return lastSeen.flush();
  }

  private Map<String, Object> healthDetails() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("presence_lease", presence.healthy() ? "UP" : "DOWN");
    details.put("connected_devices", sessions.connectedDevices());
    details.put("tls_provider", provider.name());
    details.put("server_id", config.serverId());
    return details;
  }

  /**
   * Stops accepting, tells every registered device {@code shutting_down} and closes it, revokes
   * the presence lease (removing this server's presence keys), flushes last-seen, and stops the
   * threads. Waits at most a few seconds for connections to close. Calling it again does
   * nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("registration server shutting down {}", kv("devices", connectedDevices()));
    listener.close().awaitUninterruptibly();

    List<ChannelFuture> closing = sessions.closeAll();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ChannelFuture future : closing) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !future.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        break;
      }
    }

    revocations.close();
    registrar.close();
    presence.close();
    lastSeen.close();
    health.close();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    LOG.info("registration server stopped");
  }
}
