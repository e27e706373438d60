package dev.zerotouch.loadtest.device;

import dev.zerotouch.loadtest.LoadTestErrorCode;
import dev.zerotouch.loadtest.LoadTestException;
import dev.zerotouch.loadtest.config.ServerAddress;
import dev.zerotouch.protocol.pki.TlsContexts;
import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.FrameDecoder;
import dev.zerotouch.protocol.wire.FrameEncoder;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.HeartbeatAck;
import dev.zerotouch.protocol.wire.Message;
import dev.zerotouch.protocol.wire.ProtocolException;
import dev.zerotouch.protocol.wire.Register;
import dev.zerotouch.protocol.wire.Registered;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One simulated device's connection to the registration server: mutual TLS (the server's
 * host name checked), {@code register}, then heartbeats one at a time. Every answer has a
 * deadline; every failure completes the pending future with a {@link LoadTestException} whose
 * code says what kind it was. All state is touched on the channel's event loop only.
 */
public final class DeviceSession {

  private static final String FIRMWARE = "load-tester";

  private final Channel channel;
  private final Duration timeout;
  private final SessionHandler handler;

  private DeviceSession(Channel channel, Duration timeout, SessionHandler handler) {
    this.channel = channel;
    this.timeout = timeout;
    this.handler = handler;
  }

  /**
   * Connects, completes the TLS handshake, registers, and completes with the session once the
   * server's {@link Registered} arrives (only then is the device registered).
   */
  public static CompletableFuture<DeviceSession> open(ClientTransport transport,
      SslContext tls, ServerAddress server, String deviceId, Duration timeout) {
    SessionHandler handler = new SessionHandler(deviceId, timeout);
    CompletableFuture<Registered> registered = handler.expectRegistered();
    io.netty.channel.ChannelFuture connect = transport.bootstrap()
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                TlsContexts.clientHandler(tls, ch.alloc(), server.host(), server.port()),
                new FrameDecoder(), new FrameEncoder(), handler);
          }
        })
        .connect(server.host(), server.port());

    DeviceSession session = new DeviceSession(connect.channel(), timeout, handler);
    connect.addListener(done -> {
      if (!done.isSuccess()) {
        handler.fail(connectFailure(server, done.cause()));
      }
    });
    return registered.thenApply(answer -> session);
  }

  /** Sends heartbeat {@code sequence} and completes when its ack arrives. */
  public CompletableFuture<HeartbeatAck> heartbeat(long sequence) {
    CompletableFuture<HeartbeatAck> ack = new CompletableFuture<>();
    channel.eventLoop().execute(() -> handler.sendHeartbeat(sequence, ack));
    return ack;
  }

  /** The heartbeat interval the server asked for in {@link Registered}. */
  public Duration serverHeartbeatInterval() {
    return Duration.ofSeconds(handler.registered.heartbeatIntervalSeconds());
  }

  public Duration timeout() {
    return timeout;
  }

  /** Closes the connection; completes when it is closed. */
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.close().addListener(done -> closed.complete(null));
    return closed;
  }

  private static LoadTestException connectFailure(ServerAddress server, Throwable cause) {
    if (Failures.isOutOfFiles(cause)) {
      return new LoadTestException(LoadTestErrorCode.TOO_MANY_OPEN_FILES,
          "the open-file limit was reached: " + cause.getMessage(), cause);
    }
    if (cause instanceof ConnectException
        || cause instanceof io.netty.channel.ConnectTimeoutException) {
      return new LoadTestException(LoadTestErrorCode.CONNECT_FAILED,
          "cannot connect to " + server + ": " + cause.getMessage(), cause);
    }
    return new LoadTestException(LoadTestErrorCode.CONNECT_FAILED,
        "cannot connect to " + server + ": " + cause, cause);
  }

  /** Register, registered and heartbeats of one connection, on its event loop. */
  private static final class SessionHandler extends SimpleChannelInboundHandler<Message> {

    private final String deviceId;
    private final Duration timeout;
    private CompletableFuture<? extends Message> pending;
    private long pendingSequence = -1;
    private ScheduledFuture<?> deadline;
    private Channel channel;
    private ChannelHandlerContext context;
    private volatile Registered registered;
    private LoadTestException closedBy;

    SessionHandler(String deviceId, Duration timeout) {
      this.deviceId = deviceId;
      this.timeout = timeout;
    }

    CompletableFuture<Registered> expectRegistered() {
      CompletableFuture<Registered> future = new CompletableFuture<>();
      pending = future;
      return future;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      context = ctx;
      arm(ctx, "the TLS handshake and the server's registered answer");
      ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent handshake) {
        if (handshake.isSuccess()) {
          ctx.writeAndFlush(Register.current(FIRMWARE, Map.of("simulated", "true")));
        } else {
          fail(tlsFailure(handshake.cause()));
        }
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) {
      if (message instanceof Registered answer) {
        registered = answer;
        complete(answer);
      } else if (message instanceof HeartbeatAck ack && ack.sequence() == pendingSequence) {
        complete(ack);
      } else if (message instanceof ErrorMessage error) {
        fail(new LoadTestException(LoadTestErrorCode.SERVER_REFUSED, error.code(),
            "the server refused with " + error.code() + ": " + error.message(), null));
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      LoadTestException reason = closedBy != null ? closedBy
          : new LoadTestException(LoadTestErrorCode.CONNECTION_CLOSED,
              "the server closed the connection"
                  + (registered == null ? " before registered arrived" : ""));
      fail(reason);
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LoadTestException reason;
      if (Failures.find(cause, SSLException.class) != null) {
        reason = tlsFailure(cause);
      } else if (Failures.find(cause, ProtocolException.class) != null) {
        ProtocolException protocol = Failures.find(cause, ProtocolException.class);
        reason = new LoadTestException(LoadTestErrorCode.UNEXPECTED, "protocol_error",
            "the server sent a malformed frame: " + protocol.getMessage(), cause);
      } else {
        reason = new LoadTestException(LoadTestErrorCode.CONNECTION_CLOSED,
            "the connection failed: " + cause, cause);
      }
      closedBy = reason;
      fail(reason);
      ctx.close();
    }

    void sendHeartbeat(long sequence, CompletableFuture<HeartbeatAck> ack) {
      if (closedBy != null || channel == null || !channel.isActive()) {
        ack.completeExceptionally(closedBy != null ? closedBy : new LoadTestException(
            LoadTestErrorCode.CONNECTION_CLOSED, "the connection is closed"));
        return;
      }
      if (pending != null) {
        ack.completeExceptionally(new IllegalStateException(
            "heartbeat " + sequence + " sent while another answer is awaited"));
        return;
      }
      pending = ack;
      pendingSequence = sequence;
      arm(context, "the ack of heartbeat " + sequence);
      channel.writeAndFlush(new Heartbeat(sequence));
    }

    void fail(LoadTestException reason) {
      if (channel != null && !channel.eventLoop().inEventLoop()) {
        channel.eventLoop().execute(() -> fail(reason));
        return;
      }
      CompletableFuture<? extends Message> future = take();
      if (future != null) {
        future.completeExceptionally(reason);
      }
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> void complete(T message) {
      CompletableFuture<T> future = (CompletableFuture<T>) take();
      if (future != null) {
        future.complete(message);
      }
    }

    private CompletableFuture<? extends Message> take() {
      CompletableFuture<? extends Message> future = pending;
      pending = null;
      pendingSequence = -1;
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
      return future;
    }

    private void arm(ChannelHandlerContext ctx, String awaited) {
      deadline = ctx.executor().schedule(() -> {
        deadline = null;
        LoadTestException reason = new LoadTestException(LoadTestErrorCode.TIMEOUT,
            "no " + awaited + " within " + timeout.toMillis() + " ms");
        closedBy = reason;
        fail(reason);
        ctx.close();
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private LoadTestException tlsFailure(Throwable cause) {
      SSLException ssl = Failures.find(cause, SSLException.class);
      String message = ssl != null && ssl.getMessage() != null ? ssl.getMessage()
          : String.valueOf(cause);
      return new LoadTestException(LoadTestErrorCode.TLS_FAILED, "TLS with the registration"
          + " server failed for " + deviceId + ": " + message, cause);
    }
  }
}
