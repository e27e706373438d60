package dev.zerotouch.device.session;

import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.protocol.pki.TlsContexts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@link DeviceSession}s to the registration server. Many sessions share one
 * {@link EventLoopGroup}: hand in a shared group to run thousands of devices in one JVM
 * ({@link #RegistrationClient(EventLoopGroup, Class)}, which leaves the group open on close),
 * or let {@link #create()} make a one-thread group for a single device.
 */
public final class RegistrationClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  private final boolean ownsGroup;
  private final SslProvider provider;

  /** Uses {@code group}, whose loops must drive {@code channelType}; does not close it. */
  public RegistrationClient(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
    this(group, channelType, false);
  }

  private RegistrationClient(EventLoopGroup group, Class<? extends SocketChannel> channelType,
      boolean ownsGroup) {
    this.group = Objects.requireNonNull(group, "group");
    this.channelType = Objects.requireNonNull(channelType, "channelType");
    this.ownsGroup = ownsGroup;
    this.provider = TlsContexts.preferredProvider();
  }

  /** A client with its own one-thread NIO event loop, closed by {@link #close()}. */
  public static RegistrationClient create() {
    return new RegistrationClient(new NioEventLoopGroup(1), NioSocketChannel.class, true);
  }

  /** The TLS provider this client's contexts use: OpenSSL when it loads here, else the JDK. */
  public SslProvider provider() {
    return provider;
  }

  /**
   * A client TLS context presenting the device's certificate and trusting {@code trustedCas}
   * (the CA chain stored at provisioning, or one the operator names).
   */
  public SslContext sslContext(DeviceIdentity identity, List<X509Certificate> trustedCas) {
    return TlsContexts.forClient(identity.privateKey(), identity.presentedChain(), trustedCas,
        provider);
  }

  /** Starts a session: it connects at once and runs until it ends or is stopped. */
  public DeviceSession open(SslContext sslContext, SessionOptions options,
      SessionListener listener) {
    DeviceSession session = new DeviceSession(group.next(), channelType, sslContext, options,
        listener);
    session.start();
    return session;
  }

  @Override
  public void close() {
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
