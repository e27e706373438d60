package dev.zerotouch.device.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.device.DeviceException;
import dev.zerotouch.device.config.ServerAddress;
import dev.zerotouch.device.identity.DeviceIdentity;
import dev.zerotouch.device.retry.Backoff;
import dev.zerotouch.device.testing.TestCa;
import dev.zerotouch.protocol.pki.KeyType;
import dev.zerotouch.protocol.pki.TlsContexts;
import dev.zerotouch.protocol.wire.FrameDecoder;
import dev.zerotouch.protocol.wire.FrameEncoder;
import dev.zerotouch.protocol.wire.Frames;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.HeartbeatAck;
import dev.zerotouch.protocol.wire.Message;
import dev.zerotouch.protocol.wire.Register;
import dev.zerotouch.protocol.wire.Registered;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session as a library user (the load tester) drives it: a shared event loop group,
 * callbacks and futures, against a scripted mutual-TLS server that can stop acknowledging.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeviceSessionTest {
  private static final Register REGISTER = new Register(Frames.PROTOCOL_VERSION, "1.0",
      Map.of());

  private static NioEventLoopGroup group;
  private static Channel server;
  private static SslContext clientTls;
  private static final AtomicBoolean ACKNOWLEDGE = new AtomicBoolean(true);

  @BeforeAll
  static void startServer() throws InterruptedException {
    TestCa ca = new TestCa();
    KeyPair serverKey = KeyType.EC_P256.generate();
    SslContext serverTls = TlsContexts.forServer(serverKey.getPrivate(),
        List.of(ca.issueServer("localhost", serverKey.getPublic())), List.of(ca.certificate()),
        false, TlsContexts.preferredProvider());
    KeyPair deviceKey = KeyType.EC_P256.generate();
    DeviceIdentity identity = new DeviceIdentity("unit-1", deviceKey.getPrivate(),
        ca.issue("unit-1", deviceKey.getPublic()), List.of(ca.certificate()));

    group = new NioEventLoopGroup(2);
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(serverTls.newHandler(ch.alloc()), new FrameDecoder(),
                new FrameEncoder(), new ScriptedServer());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    clientTls = new RegistrationClient(group, NioSocketChannel.class)
        .sslContext(identity, List.of(ca.certificate()));
  }

  @AfterAll
  static void stopServer() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static SessionOptions options(OptionalLong heartbeats) {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    return new SessionOptions(new ServerAddress("localhost", port), REGISTER, heartbeats,
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(200), 5, Duration.ofSeconds(20)));
  }

  @Test
  void registersThenStopsCleanlyAfterTheAskedHeartbeatsOnASharedGroup() throws Exception {
    ACKNOWLEDGE.set(true);
    List<Long> acknowledged = new CopyOnWriteArrayList<>();
    RegistrationClient client = new RegistrationClient(group, NioSocketChannel.class);

    DeviceSession session = client.open(clientTls, options(OptionalLong.of(2)),
        new SessionListener() {
          @Override
          public void heartbeatAcknowledged(long sequence, Duration roundTrip, long count) {
            acknowledged.add(sequence);
          }
        });
    SessionResult result = session.completion().get(10, TimeUnit.SECONDS);
    client.close();

    assertThat(session.firstRegistration().get().deviceId()).isEqualTo("unit-1");
    assertThat(result).isEqualTo(new SessionResult(1, 2, 2));
    assertThat(acknowledged).containsExactly(1L, 2L);
    assertThat(group.isShuttingDown()).isFalse();
  }

  @Test
  void aServerThatStopsAcknowledgingIsLeftAndTheDeviceRegistersAgain() throws Exception {
    ACKNOWLEDGE.set(false);
    List<String> reasons = new CopyOnWriteArrayList<>();
    CountDownLatch registeredAgain = new CountDownLatch(2);
    RegistrationClient client = new RegistrationClient(group, NioSocketChannel.class);

    DeviceSession session = client.open(clientTls, options(OptionalLong.empty()),
        new SessionListener() {
          @Override
          public void reconnecting(DeviceException reason, Duration delay, int nextAttempt) {
            reasons.add(reason.getMessage());
            ACKNOWLEDGE.set(true);
          }

          @Override
          public void registered(Registered registered, int count) {
            registeredAgain.countDown();
          }
        });
    assertThat(registeredAgain.await(15, TimeUnit.SECONDS)).isTrue();
    SessionResult result = session.stop().get(10, TimeUnit.SECONDS);

    assertThat(reasons).singleElement().asString().endsWith(
        "acknowledged no heartbeat for " + SessionOptions.MAX_UNACKNOWLEDGED + " intervals.");
    assertThat(result.registrations()).isEqualTo(2);
  }

  /** Registers every device with a 1 s interval; acknowledges heartbeats while told to. */
  private static final class ScriptedServer extends SimpleChannelInboundHandler<Message> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) {
      if (message instanceof Register) {
        ctx.writeAndFlush(new Registered("unit-1", true, 1));
      } else if (message instanceof Heartbeat heartbeat && ACKNOWLEDGE.get()) {
        ctx.writeAndFlush(new HeartbeatAck(heartbeat.sequence(), System.currentTimeMillis()));
      }
    }
  }
}
