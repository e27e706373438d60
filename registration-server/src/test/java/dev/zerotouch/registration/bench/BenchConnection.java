package dev.zerotouch.registration.bench;

import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.Frames;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.HeartbeatAck;
import dev.zerotouch.protocol.wire.Register;
import dev.zerotouch.protocol.wire.Registered;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Promise;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * One simulated device: registers after the handshake, completes {@code registered} with the
 * outcome and, like a real device, starts beating at once: a heartbeat every interval (the
 * first at a random point of the first interval, so that beats spread out), each round trip
 * recorded in microseconds. A device that waited for the whole connect phase before its first
 * beat would be closed by the server's heartbeat timeout once that phase outlasts it.
 *
 * <p>A warm-up device sends one heartbeat right after {@code registered} and reports only
 * when it is acknowledged, so that warming up runs the heartbeat path through the JIT too.
 */
final class BenchConnection extends SimpleChannelInboundHandler<Object> {

  private final Promise<String> registered;
  private final Runnable afterHandshake;
  private final ConcurrentHistogram rtt;
  private final AtomicLong lostAcks;
  private final long heartbeatMillis;
  private final boolean warmUp;
  private ChannelHandlerContext ctx;
  private long sequence;
  private long sentNanos;
  private boolean awaitingAck;

  BenchConnection(Promise<String> registered, Runnable afterHandshake, ConcurrentHistogram rtt,
      AtomicLong lostAcks, long heartbeatMillis, boolean warmUp) {
    this.registered = registered;
    this.afterHandshake = afterHandshake;
    this.rtt = rtt;
    this.lostAcks = lostAcks;
    this.heartbeatMillis = heartbeatMillis;
    this.warmUp = warmUp;
  }

  /** Whether the connection is still open (the server closes it on a refusal or timeout). */
  boolean isActive() {
    return ctx != null && ctx.channel().isActive();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof SslHandshakeCompletionEvent completion) {
      afterHandshake.run();
      if (completion.isSuccess()) {
        context.writeAndFlush(new Register(Frames.PROTOCOL_VERSION, "bench",
            Map.of("model", "bench")));
      } else {
        registered.tryFailure(completion.cause());
      }
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext context, Object msg) {
    if (msg instanceof Registered && warmUp) {
      beat();
    } else if (msg instanceof Registered) {
      registered.trySuccess("registered");
      startHeartbeats();
    } else if (msg instanceof HeartbeatAck ack && awaitingAck && ack.sequence() == sequence) {
      awaitingAck = false;
      rtt.recordValue((System.nanoTime() - sentNanos) / 1_000);
      if (warmUp) {
        registered.trySuccess("registered");
      }
    } else if (msg instanceof ErrorMessage error) {
      registered.trySuccess(error.code());
    }
  }

  private void startHeartbeats() {
    long offset = ThreadLocalRandom.current().nextLong(heartbeatMillis);
    ctx.executor().scheduleAtFixedRate(this::beat, offset, heartbeatMillis,
        TimeUnit.MILLISECONDS);
  }

  private void beat() {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (awaitingAck) {
      lostAcks.incrementAndGet();
    }
    sequence++;
    awaitingAck = true;
    sentNanos = System.nanoTime();
    ctx.writeAndFlush(new Heartbeat(sequence));
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    registered.tryFailure(new IllegalStateException("connection closed"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    registered.tryFailure(cause);
    context.close();
  }
}
