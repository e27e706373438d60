package dev.zerotouch.registration.pipeline;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.protocol.wire.ErrorCode;
import dev.zerotouch.protocol.wire.ProtocolException;
import dev.zerotouch.registration.session.ConnectionState;
import dev.zerotouch.registration.session.Refusals;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline: the one place a connection's errors end. A protocol violation is
 * logged once and answered with its error code before the close; a TLS failure or a reset
 * connection is only recorded as the connection's outcome; anything else is an internal error.
 */
@Sharable
public final class ExceptionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ExceptionHandler.class);

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ConnectionState state = ConnectionState.of(ctx.channel());
    ProtocolException violation = protocolException(cause);

    if (violation != null) {
      LOG.info("protocol violation {} {} {} {}", kv("cn", state.cn()), kv("remote", state.remote()),
          kv("code", violation.code().wireCode()), kv("reason", violation.getMessage()));
      Refusals.refuse(ctx.channel(), violation.code(), violation.getMessage(),
          "protocol_error: " + violation.code().wireCode());
    } else if (isTransport(cause)) {
      state.outcome("transport_error: " + rootMessage(cause));
      ctx.close();
    } else {
      LOG.error("unexpected error on a connection {} {}", kv("cn", state.cn()),
          kv("remote", state.remote()), cause);
      Refusals.refuse(ctx.channel(), ErrorCode.INTERNAL_ERROR, "internal error", "internal_error");
    }
  }

  private static ProtocolException protocolException(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ProtocolException violation) {
        return violation;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static boolean isTransport(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
