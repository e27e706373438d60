package dev.zerotouch.registration.pipeline;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.registration.metrics.ServerMetrics;
import dev.zerotouch.registration.session.ConnectionState;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in the pipeline: counts connections, closes any beyond the configured maximum before
 * TLS starts, closes a peer that stops reading what it is sent (the write buffer passed its
 * high-water mark), and logs one line per connection when it ends with its outcome.
 */
@Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTracker.class);

  private final ServerMetrics metrics;
  private final int maxConnections;

  public ConnectionTracker(ServerMetrics metrics, int maxConnections) {
    this.metrics = metrics;
    this.maxConnections = maxConnections;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    int open = metrics.connectionOpened();
    if (open > maxConnections) {
      ConnectionState.of(ctx.channel()).outcome("over_connection_limit");
      ctx.close();
      return;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!ctx.channel().isWritable()) {
      ConnectionState.of(ctx.channel()).outcome("peer_not_reading");
      ctx.close();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    metrics.connectionClosed();
    ConnectionState state = ConnectionState.of(ctx.channel());
    String outcome = state.outcome() == null ? "closed_by_peer" : state.outcome();
    LOG.info("connection closed {} {} {} {} {}", kv("cn", state.cn()), kv("serial", state.serial()),
        kv("remote", state.remote()), kv("outcome", outcome),
        kv("duration_ms", state.ageMillis()));
    ctx.fireChannelInactive();
  }
}
