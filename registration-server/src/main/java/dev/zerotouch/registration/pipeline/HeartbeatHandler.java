package dev.zerotouch.registration.pipeline;

import dev.zerotouch.protocol.wire.ErrorCode;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.HeartbeatAck;
import dev.zerotouch.protocol.wire.ProtocolException;
import dev.zerotouch.registration.metrics.ServerMetrics;
import dev.zerotouch.registration.session.ConnectionState;
import dev.zerotouch.registration.session.DeviceSessions;
import dev.zerotouch.registration.session.Refusals;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;

/**
 * Answers heartbeats of registered devices with an ack carrying the sequence and the server's
 * time, and notes liveness in memory (no etcd write). Closes a connection whose reads went
 * quiet: a registered device after the heartbeat timeout ({@code heartbeat_timeout}), an
 * unregistered one after the handshake timeout ({@code not_registered}).
 */
@Sharable
public final class HeartbeatHandler extends ChannelInboundHandlerAdapter {

  private final DeviceSessions sessions;
  private final ServerMetrics metrics;
  private final Duration heartbeatTimeout;
  private final Duration registerTimeout;

  public HeartbeatHandler(DeviceSessions sessions, ServerMetrics metrics,
      Duration heartbeatTimeout, Duration registerTimeout) {
    this.sessions = sessions;
    this.metrics = metrics;
    this.heartbeatTimeout = heartbeatTimeout;
    this.registerTimeout = registerTimeout;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Heartbeat heartbeat)) {
      throw new ProtocolException(ErrorCode.UNKNOWN_MESSAGE, "a device may not send "
          + msg.getClass().getSimpleName());
    }
    ConnectionState state = ConnectionState.of(ctx.channel());
    sessions.heartbeat(state);
    metrics.heartbeat();
    ctx.writeAndFlush(new HeartbeatAck(heartbeat.sequence(), System.currentTimeMillis()));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof IdleStateEvent)) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    ConnectionState state = ConnectionState.of(ctx.channel());
    switch (state.phase()) {
      case REGISTERED -> Refusals.refuse(ctx.channel(), ErrorCode.HEARTBEAT_TIMEOUT,
          "no heartbeat for " + heartbeatTimeout.toSeconds() + "s", "heartbeat_timeout");
      case AUTHENTICATED -> Refusals.refuse(ctx.channel(), ErrorCode.NOT_REGISTERED,
          "no register within " + registerTimeout.toMillis() + "ms", "register_timeout");
      case REGISTERING -> {
        // The registry call is still running; its own deadline ends it.
      }
      default -> {
        ConnectionState.of(ctx.channel()).outcome("handshake_timeout");
        ctx.close();
      }
    }
  }
}
