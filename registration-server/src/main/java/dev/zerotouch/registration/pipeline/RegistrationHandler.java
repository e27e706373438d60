package dev.zerotouch.registration.pipeline;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.zerotouch.protocol.wire.ErrorCode;
import dev.zerotouch.protocol.wire.Frames;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.Message;
import dev.zerotouch.protocol.wire.ProtocolException;
import dev.zerotouch.protocol.wire.Register;
import dev.zerotouch.protocol.wire.Registered;
import dev.zerotouch.registration.metrics.ServerMetrics;
import dev.zerotouch.registration.session.ConnectionState;
import dev.zerotouch.registration.session.ConnectionState.Phase;
import dev.zerotouch.registration.session.DeviceSessions;
import dev.zerotouch.registration.session.Refusals;
import dev.zerotouch.registration.session.Registrar;
import dev.zerotouch.registry.RegistrationResult;
import dev.zerotouch.registry.RegistryException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first message on a connection must be {@link Register}. The registry call runs off the
 * event loop; only after it commits does the device get {@link Registered}. Reading pauses
 * while it runs, and any message that arrives before {@code registered} is a protocol error
 * ({@code not_registered}). Once registered, heartbeats pass on to the heartbeat handler and a
 * second register is {@code already_registered}.
 */
@Sharable
public final class RegistrationHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(RegistrationHandler.class);

  /** The attribute the register message's firmware version is stored under. */
  static final String FIRMWARE_ATTRIBUTE = "firmware_version";

  private final Registrar registrar;
  private final DeviceSessions sessions;
  private final ServerMetrics metrics;
  private final Duration heartbeatInterval;
  private final Duration heartbeatTimeout;

  public RegistrationHandler(Registrar registrar, DeviceSessions sessions, ServerMetrics metrics,
      Duration heartbeatInterval, Duration heartbeatTimeout) {
    this.registrar = registrar;
    this.sessions = sessions;
    this.metrics = metrics;
    this.heartbeatInterval = heartbeatInterval;
    this.heartbeatTimeout = heartbeatTimeout;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ConnectionState state = ConnectionState.of(ctx.channel());
    Message message = (Message) msg;

    if (state.phase() == Phase.REGISTERED) {
      if (message instanceof Register) {
        throw new ProtocolException(ErrorCode.ALREADY_REGISTERED,
            "this connection is already registered");
      }
      ctx.fireChannelRead(msg);
      return;
    }
    if (state.phase() != Phase.AUTHENTICATED) {
      throw new ProtocolException(ErrorCode.NOT_REGISTERED,
          "wait for registered before sending anything else");
    }
    if (!(message instanceof Register register)) {
      String what = message instanceof Heartbeat ? "heartbeat" : message.getClass().getSimpleName();
      throw new ProtocolException(ErrorCode.NOT_REGISTERED,
          what + " before register: the first message must be register");
    }
    register(ctx.channel(), state, register);
  }

  private void register(Channel channel, ConnectionState state, Register register) {
    long started = System.nanoTime();
    validate(register);
    Map<String, String> attributes = attributesOf(register);

    state.registering();
    channel.config().setAutoRead(false);
    try {
      registrar.register(state.cn(), state.serial(), state.fingerprint(), state.remote(),
          attributes)
          .whenCompleteAsync((result, error) -> finish(channel, state, result, error, started),
              channel.eventLoop());
    } catch (RejectedExecutionException e) {
      refuse(channel, state, ErrorCode.SERVER_BUSY, "server busy, try again later", "busy",
          started);
    }
  }

  private void finish(Channel channel, ConnectionState state, RegistrationResult result,
      Throwable error, long started) {
    channel.config().setAutoRead(true);
    if (error != null) {
      failed(channel, state, error instanceof CompletionException ? error.getCause() : error,
          started);
      return;
    }
    if (!channel.isActive()) {
      logRegistration(state, "committed_after_disconnect", result.firstRegistration(), started);
      return;
    }

    state.registered(System.currentTimeMillis());
    channel.pipeline().replace(ServerInitializer.IDLE, ServerInitializer.IDLE,
        ServerInitializer.idleAfter(heartbeatTimeout));
    sessions.registered(channel, state);
    channel.writeAndFlush(new Registered(state.cn(), result.firstRegistration(),
        (int) heartbeatInterval.toSeconds()));
    logRegistration(state, "registered", result.firstRegistration(), started);
  }

  private void failed(Channel channel, ConnectionState state, Throwable error, long started) {
    if (!(error instanceof RegistryException registryError)) {
      LOG.error("registration failed unexpectedly {} {}", kv("cn", state.cn()),
          kv("remote", state.remote()), error);
      refuse(channel, state, ErrorCode.INTERNAL_ERROR, "internal error, try again later",
          "internal_error", started);
      return;
    }
    switch (registryError.code()) {
      case CERTIFICATE_REVOKED -> refuse(channel, state, ErrorCode.CERTIFICATE_REVOKED,
          "certificate " + state.serial() + " is revoked", "revoked", started);
      case CERTIFICATE_SUPERSEDED -> refuse(channel, state, ErrorCode.CERTIFICATE_SUPERSEDED,
          "certificate " + state.serial() + " was superseded by a newer one", "superseded",
          started);
      case CERTIFICATE_UNKNOWN -> refuse(channel, state, ErrorCode.CERTIFICATE_UNKNOWN,
          "certificate " + state.serial() + " is not in the registry", "unknown_certificate",
          started);
      case UNAVAILABLE, CONTENTION -> refuse(channel, state, ErrorCode.REGISTRY_UNAVAILABLE,
          "registry unavailable, try again later", "registry_unavailable", started);
      default -> {
        LOG.error("registration failed {} {}", kv("cn", state.cn()), kv("remote", state.remote()),
            registryError);
        refuse(channel, state, ErrorCode.INTERNAL_ERROR, "internal error, try again later",
            "internal_error", started);
      }
    }
  }

  private void refuse(Channel channel, ConnectionState state, ErrorCode code, String text,
      String outcome, long started) {
    logRegistration(state, outcome, false, started);
    Refusals.refuse(channel, code, text, "registration_" + outcome);
  }

  private void logRegistration(ConnectionState state, String outcome, boolean first,
      long started) {
    Duration duration = Duration.ofNanos(System.nanoTime() - started);
    metrics.registration(outcome, duration);
    LOG.info("registration {} {} {} {} {} {}", kv("cn", state.cn()), kv("serial", state.serial()),
        kv("remote", state.remote()), kv("outcome", outcome), kv("first_registration", first),
        kv("duration_ms", duration.toMillis()));
  }

  private static void validate(Register register) {
    if (register.protocolVersion() != Frames.PROTOCOL_VERSION) {
      throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version "
          + register.protocolVersion() + " is not supported; this server speaks "
          + Frames.PROTOCOL_VERSION);
    }
  }

  /**
   * The register message's attributes, plus its firmware version under firmware_version. Their
   * sizes are bounded by the wire format ({@link Register}), which the decoder enforces.
   */
  private static Map<String, String> attributesOf(Register register) {
    Map<String, String> attributes = new HashMap<>(register.attributes());
    if (!register.firmwareVersion().isEmpty()) {
      attributes.put(FIRMWARE_ATTRIBUTE, register.firmwareVersion());
    }
    return Map.copyOf(attributes);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ConnectionState state = ConnectionState.of(ctx.channel());
    if (state.phase() == Phase.REGISTERED) {
      sessions.disconnected(ctx.channel(), state);
    }
    ctx.fireChannelInactive();
  }
}
