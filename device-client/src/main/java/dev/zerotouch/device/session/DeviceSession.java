package dev.zerotouch.device.session;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.device.DeviceErrorCode;
import dev.zerotouch.device.DeviceException;
import dev.zerotouch.protocol.pki.TlsContexts;
import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.FrameDecoder;
import dev.zerotouch.protocol.wire.FrameEncoder;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.HeartbeatAck;
import dev.zerotouch.protocol.wire.Message;
import dev.zerotouch.protocol.wire.Registered;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's life on the registration server: connect with mutual TLS (the server's name
 * checked), send register, wait for registered, then heartbeat at the interval the server
 * asked for and match every acknowledgement to its heartbeat. A dropped connection, a
 * retryable server error or {@value SessionOptions#MAX_UNACKNOWLEDGED} heartbeat intervals
 * with a heartbeat outstanding and no acknowledgement lead to a new connection and a new
 * registration, spaced by the
 * {@link dev.zerotouch.device.retry.Backoff}; a refusal ends the session.
 *
 * <p>All state lives on one event loop, so a session costs no thread of its own. Created by
 * {@link RegistrationClient#open}.
 */
public final class DeviceSession {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);

  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelType;
  private final SslContext sslContext;
  private final SessionOptions options;
  private final SessionListener listener;
  private final CompletableFuture<SessionResult> completion = new CompletableFuture<>();
  private final CompletableFuture<Registered> firstRegistration = new CompletableFuture<>();
  private final Map<Long, Long> unacknowledged = new LinkedHashMap<>();

  private final dev.zerotouch.device.retry.Backoff.Attempts attempts;
  private Channel channel;
  private DeviceException connectionFailure;
  private boolean connectionRegistered;
  private boolean stopping;
  private ScheduledFuture<?> heartbeatTask;
  private ScheduledFuture<?> registerDeadline;
  private ScheduledFuture<?> reconnectTask;
  private int attempt;
  private int registrations;
  private long sequence;
  private long sent;
  private long acknowledged;
  private int silentBeats;

  DeviceSession(EventLoop loop, Class<? extends SocketChannel> channelType, SslContext sslContext,
      SessionOptions options, SessionListener listener) {
    this.loop = loop;
    this.channelType = channelType;
    this.sslContext = sslContext;
    this.options = options;
    this.listener = listener;
    this.attempts = options.backoff().start();
  }

  /**
   * Completes when the session ends: normally after its heartbeat limit or {@link #stop()}, or
   * exceptionally with a {@link DeviceException} on a refusal or when reconnects give up.
   */
  public CompletableFuture<SessionResult> completion() {
    return completion;
  }

  /** Completes with the server's first registered answer; fails like {@link #completion()}. */
  public CompletableFuture<Registered> firstRegistration() {
    return firstRegistration;
  }

  /**
   * Closes the connection cleanly (TLS close_notify) and ends the session; returns
   * {@link #completion()}.
   */
  public CompletableFuture<SessionResult> stop() {
    loop.execute(this::stopNow);
    return completion;
  }

  void start() {
    loop.execute(this::connect);
  }

  private void connect() {
    if (stopping) {
      return;
    }
    attempt++;
    connectionFailure = null;
    connectionRegistered = false;
    listener.connecting(options.server(), attempt);

    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new Initializer());
    ChannelFuture connected = bootstrap.connect(options.server().host(), options.server().port());
    channel = connected.channel();
    Channel current = channel;
    registerDeadline = loop.schedule(() -> registerTimedOut(current),
        options.registerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    connected.addListener(future -> {
      if (!future.isSuccess()) {
        connectionEnded(current, TlsFailures.classify(future.cause(), options.server()));
      }
    });
  }

  private void registerTimedOut(Channel current) {
    if (current == channel && !connectionRegistered) {
      fail(current, new DeviceException(DeviceErrorCode.SERVER_UNREACHABLE,
          "The registration server " + options.server() + " did not answer the registration"
              + " within " + options.registerTimeout().toSeconds() + " s."));
    }
  }

  private void registered(Channel current, Registered registered) {
    if (connectionRegistered) {
      fail(current, new DeviceException(DeviceErrorCode.PROTOCOL_VIOLATION,
          "The registration server sent a second registered message on one connection."));
      return;
    }
    connectionRegistered = true;
    registrations++;
    cancel(registerDeadline);
    attempts.reset();
    firstRegistration.complete(registered);
    listener.registered(registered, registrations);

    long interval = Math.max(1, registered.heartbeatIntervalSeconds());
    heartbeatTask = loop.scheduleAtFixedRate(() -> beat(current), interval, interval,
        TimeUnit.SECONDS);
  }

  private void beat(Channel current) {
    if (current != channel || stopping) {
      return;
    }
    silentBeats = unacknowledged.isEmpty() ? 0 : silentBeats + 1;
    if (silentBeats >= SessionOptions.MAX_UNACKNOWLEDGED) {
      fail(current, new DeviceException(DeviceErrorCode.SERVER_UNREACHABLE,
          "The registration server " + options.server() + " acknowledged no heartbeat for "
              + silentBeats + " intervals."));
      return;
    }
    if (options.heartbeatLimit().isPresent()
        && acknowledged + unacknowledged.size() >= options.heartbeatLimit().getAsLong()) {
      return;
    }
    sequence++;
    sent++;
    unacknowledged.put(sequence, System.nanoTime());
    current.writeAndFlush(new Heartbeat(sequence));
  }

  private void acknowledged(HeartbeatAck ack) {
    Long sentAt = unacknowledged.remove(ack.sequence());
    if (sentAt == null) {
      LOG.debug("ignoring an acknowledgement of no outstanding heartbeat",
          kv("sequence", ack.sequence()));
      return;
    }
    acknowledged++;
    silentBeats = 0;
    listener.heartbeatAcknowledged(ack.sequence(), Duration.ofNanos(System.nanoTime() - sentAt),
        acknowledged);
    if (options.heartbeatLimit().isPresent()
        && acknowledged >= options.heartbeatLimit().getAsLong()) {
      stopNow();
    }
  }

  private void serverError(Channel current, ErrorMessage error) {
    listener.serverError(error);
    String said = error.code() + ": " + error.message();
    DeviceException failure = error.retryable()
        ? new DeviceException(DeviceErrorCode.SERVER_UNAVAILABLE,
            "The registration server cannot take the device right now (" + said + ").")
        : new DeviceException(DeviceErrorCode.SERVER_REFUSED,
            "The registration server refused the device (" + said + ")." + advice(error));
    fail(current, failure);
  }

  /** What an operator can do about a refusal that retrying will not change. */
  private static String advice(ErrorMessage error) {
    return switch (error.code()) {
      case "certificate_revoked" -> " This device id was revoked and will not be certified"
          + " again: provision the device under a new --device-id in a new --identity-dir.";
      case "certificate_superseded" -> " A newer certificate was issued for this device id:"
          + " use the identity that holds it, or provision again.";
      default -> "";
    };
  }

  /** Records why this connection ends (the first reason wins) and closes it. */
  private void fail(Channel current, DeviceException failure) {
    if (current == channel && connectionFailure == null) {
      connectionFailure = failure;
    }
    current.close();
  }

  private void connectionEnded(Channel current, DeviceException connectFailure) {
    if (current != channel || completion.isDone()) {
      return;
    }
    cancel(heartbeatTask);
    cancel(registerDeadline);
    unacknowledged.clear();
    silentBeats = 0;
    channel = null;
    if (stopping) {
      finish();
      return;
    }
    DeviceException failure = connectionFailure != null ? connectionFailure : connectFailure;
    if (failure == null) {
      failure = new DeviceException(DeviceErrorCode.SERVER_UNREACHABLE,
          "The registration server " + options.server() + " closed the connection"
              + (connectionRegistered ? "." : " before answering the registration."));
    }
    retryOrFail(failure);
  }

  private void retryOrFail(DeviceException failure) {
    if (!failure.retryable()) {
      failWith(failure);
      return;
    }
    Optional<Duration> delay = attempts.nextDelay(failure.retryAfter());
    if (delay.isEmpty()) {
      failWith(new DeviceException(failure.code(), failure.getMessage() + " Gave up after "
          + attempts.failures() + " attempts in " + attempts.elapsed().toSeconds() + " s.",
          failure.getCause()));
      return;
    }
    listener.reconnecting(failure, delay.get(), attempt + 1);
    reconnectTask = loop.schedule(this::connect, delay.get().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stopNow() {
    if (stopping || completion.isDone()) {
      return;
    }
    stopping = true;
    cancel(reconnectTask);
    cancel(heartbeatTask);
    if (channel != null) {
      channel.close();
    } else {
      finish();
    }
  }

  private void finish() {
    firstRegistration.completeExceptionally(new DeviceException(
        DeviceErrorCode.SERVER_UNREACHABLE, "The session was stopped before it registered."));
    completion.complete(new SessionResult(registrations, sent, acknowledged));
  }

  private void failWith(DeviceException failure) {
    firstRegistration.completeExceptionally(failure);
    completion.completeExceptionally(failure);
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private final class Initializer extends ChannelInitializer<SocketChannel> {
    @Override
    protected void initChannel(SocketChannel ch) {
      SslHandler tls = TlsContexts.clientHandler(sslContext, ch.alloc(), options.server().host(),
          options.server().port());
      ch.pipeline().addLast("tls", tls);
      ch.pipeline().addLast("frames", new FrameDecoder());
      ch.pipeline().addLast("encoder", new FrameEncoder());
      ch.pipeline().addLast("session", new SessionHandler(ch));
    }
  }

  /** The session's end of one connection; events of a connection already replaced are dropped. */
  private final class SessionHandler extends SimpleChannelInboundHandler<Message> {
    private final Channel current;

    SessionHandler(Channel current) {
      this.current = current;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent handshake) {
        if (handshake.isSuccess()) {
          SSLSession tls = ctx.pipeline().get(SslHandler.class).engine().getSession();
          listener.tlsEstablished(options.server(), tls.getProtocol(), tls.getCipherSuite());
          ctx.writeAndFlush(options.register());
        } else {
          fail(current, TlsFailures.classify(handshake.cause(), options.server()));
        }
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) {
      if (message instanceof Registered registered) {
        registered(current, registered);
      } else if (message instanceof HeartbeatAck ack) {
        acknowledged(ack);
      } else if (message instanceof ErrorMessage error) {
        serverError(current, error);
      } else {
        fail(current, new DeviceException(DeviceErrorCode.PROTOCOL_VIOLATION,
            "The registration server sent a " + message.getClass().getSimpleName()
                + " message, which only a device sends."));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("connection failed", kv("server", options.server()), cause);
      fail(current, TlsFailures.classify(cause, options.server()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connectionEnded(current, null);
    }
  }
}
