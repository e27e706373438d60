package dev.zerotouch.loadtest.device;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Netty event loop group every simulated device's connection runs on (epoll where it
 * is available, NIO otherwise), and the TLS provider they use. A thread per core, not per
 * device: ten thousand devices cost ten thousand sockets, not ten thousand threads.
 */
public final class ClientTransport implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClientTransport.class);

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;
  private final SslProvider provider;
  private final Duration connectTimeout;

  public ClientTransport(int threads, SslProvider provider, Duration connectTimeout) {
    if (Epoll.isAvailable()) {
      group = new EpollEventLoopGroup(threads);
      channelType = EpollSocketChannel.class;
    } else {
      group = new NioEventLoopGroup(threads);
      channelType = NioSocketChannel.class;
    }
    this.provider = provider;
    this.connectTimeout = connectTimeout;
    LOG.info("client transport ready", kv("transport", transportName()),
        kv("threads", threads), kv("tls_provider", provider));
  }

  /** A bootstrap on the shared group; the caller adds the handler. */
  Bootstrap bootstrap() {
    return new Bootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
  }

  public EventLoopGroup group() {
    return group;
  }

  public SslProvider provider() {
    return provider;
  }

  /** {@code epoll} or {@code nio}. */
  public String transportName() {
    return channelType == EpollSocketChannel.class ? "epoll" : "nio";
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
