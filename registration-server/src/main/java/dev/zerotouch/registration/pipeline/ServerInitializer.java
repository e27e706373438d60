package dev.zerotouch.registration.pipeline;

import dev.zerotouch.protocol.wire.FrameDecoder;
import dev.zerotouch.protocol.wire.FrameEncoder;
import dev.zerotouch.registration.session.ConnectionState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds each connection's pipeline, one handler per concern. Only the TLS handler, the idle
 * timer and the frame decoder hold per-connection state; the other handlers are shared by
 * every connection and keep what they need in {@link ConnectionState}.
 *
 * <pre>
 * tracker -> tls -> idle -> frame decoder -> frame encoder -> peer certificate
 *         -> registration -> heartbeat -> exceptions
 * </pre>
 */
public final class ServerInitializer extends ChannelInitializer<Channel> {

  /** The name of the idle timer, which registration swaps for the heartbeat timeout. */
  public static final String IDLE = "idle";

  private final SslContext sslContext;
  private final Duration handshakeTimeout;
  private final ChannelHandler tracker;
  private final ChannelHandler encoder = new FrameEncoder();
  private final ChannelHandler peerCertificate;
  private final ChannelHandler registration;
  private final ChannelHandler heartbeat;
  private final ChannelHandler exceptions = new ExceptionHandler();

  public ServerInitializer(SslContext sslContext, Duration handshakeTimeout,
      ConnectionTracker tracker, PeerCertificateHandler peerCertificate,
      RegistrationHandler registration, HeartbeatHandler heartbeat) {
    this.sslContext = sslContext;
    this.handshakeTimeout = handshakeTimeout;
    this.tracker = tracker;
    this.peerCertificate = peerCertificate;
    this.registration = registration;
    this.heartbeat = heartbeat;
  }

  @Override
  protected void initChannel(Channel channel) {
    ConnectionState.attach(channel);
    SslHandler tls = sslContext.newHandler(channel.alloc());
    tls.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
    tls.setCloseNotifyFlushTimeoutMillis(1_000);

    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("tracker", tracker);
    pipeline.addLast("tls", tls);
    pipeline.addLast(IDLE, idleAfter(handshakeTimeout));
    pipeline.addLast("frame-decoder", new FrameDecoder());
    pipeline.addLast("frame-encoder", encoder);
    pipeline.addLast("peer-certificate", peerCertificate);
    pipeline.addLast("registration", registration);
    pipeline.addLast("heartbeat", heartbeat);
    pipeline.addLast("exceptions", exceptions);
  }

  /** A timer that raises an idle event when nothing was read for {@code timeout}. */
  public static IdleStateHandler idleAfter(Duration timeout) {
    return new IdleStateHandler(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
  }
}
