package dev.zerotouch.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zerotouch.protocol.wire.FrameDecoder;
import dev.zerotouch.protocol.wire.FrameEncoder;
import dev.zerotouch.protocol.wire.Message;
import dev.zerotouch.protocol.wire.Register;
import dev.zerotouch.protocol.wire.Registered;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real mutual TLS 1.3 over loopback with the contexts {@link TlsContexts} builds, for each
 * provider that loads here, carrying framed messages after the handshake.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutualTlsTest {

  private static final String HOST = "localhost";
  private static final long WAIT_SECONDS = 30;

  private static EventLoopGroup group;
  private static TestPki ca;
  private static TestPki otherCa;
  private static TestPki.Issued server;
  private static TestPki.Issued wrongNameServer;

  @BeforeAll
  static void start() {
    group = new NioEventLoopGroup(2);
    ca = TestPki.ca("zerotouch-test-ca");
    otherCa = TestPki.ca("someone-elses-ca");
    server = ca.server(HOST);
    wrongNameServer = ca.server("registration.example.net");
  }

  @AfterAll
  static void stop() {
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static Stream<SslProvider> providers() {
    return OpenSsl.isAvailable()
        ? Stream.of(SslProvider.JDK, SslProvider.OPENSSL)
        : Stream.of(SslProvider.JDK);
  }

  @Test
  void openSslLoadsOnLinuxX8664() {
    boolean linuxX8664 = System.getProperty("os.name").toLowerCase().contains("linux")
        && System.getProperty("os.arch").matches("amd64|x86_64");
    assumeTrue(linuxX8664, "the pom bundles tcnative for linux-x86_64 only");

    assertThat(OpenSsl.isAvailable())
        .as("netty-tcnative should load: %s", OpenSsl.unavailabilityCause())
        .isTrue();
    assertThat(TlsContexts.preferredProvider()).isEqualTo(SslProvider.OPENSSL);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void deviceWithACaSignedCertificateRegistersOverTls13(SslProvider provider) throws Exception {
    TestPki.Issued device = ca.client("device-rsa-1", KeyType.RSA_2048);
    SslContext client = TlsContexts.forClient(device.keyPair().getPrivate(),
        List.of(device.certificate()), List.of(ca.certificate()), provider);

    Outcome outcome = register(serverContext(server, provider), client);

    assertThat(outcome.reply()).isEqualTo(new Registered("device-rsa-1", true, 30));
    assertThat(outcome.protocol()).isEqualTo("TLSv1.3");
    assertThat(outcome.serverHandshake().isSuccess()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("providers")
  void deviceWithoutACertificateIsRefusedOnItsFirstRead(SslProvider provider) throws Exception {
    SslContext client = SslContextBuilder.forClient()
        .sslProvider(provider)
        .protocols("TLSv1.3")
        .trustManager(ca.certificate())
        .build();

    Outcome outcome = register(serverContext(server, provider), client);

    assertRefusedAfterClientHandshake(outcome);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void deviceWithAnotherCasCertificateIsRefused(SslProvider provider) throws Exception {
    TestPki.Issued stranger = otherCa.client("device-ec-1", KeyType.EC_P256);
    SslContext client = TlsContexts.forClient(stranger.keyPair().getPrivate(),
        List.of(stranger.certificate()), List.of(ca.certificate()), provider);

    Outcome outcome = register(serverContext(server, provider), client);

    assertRefusedAfterClientHandshake(outcome);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void deviceRefusesAServerWhoseCertificateNamesAnotherHost(SslProvider provider)
      throws Exception {
    TestPki.Issued device = ca.client("device-ec-2", KeyType.EC_P256);
    SslContext client = TlsContexts.forClient(device.keyPair().getPrivate(),
        List.of(device.certificate()), List.of(ca.certificate()), provider);

    Outcome outcome = register(serverContext(wrongNameServer, provider), client);

    assertThat(outcome.reply()).isNull();
    assertThat(outcome.clientHandshake().isSuccess()).isFalse();
    assertThat(outcome.clientHandshake().cause())
        .isInstanceOf(SSLException.class)
        .hasRootCauseInstanceOf(CertificateException.class)
        .rootCause().hasMessageContaining(HOST);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void tls12ClientIsRefusedUnlessTheServerAllowsIt(SslProvider provider) throws Exception {
    TestPki.Issued device = ca.client("device-tls12", KeyType.EC_P256);
    SslContext client = SslContextBuilder.forClient()
        .sslProvider(provider)
        .protocols("TLSv1.2")
        .keyManager(device.keyPair().getPrivate(), device.certificate())
        .trustManager(ca.certificate())
        .build();
    SslContext tls12Server = TlsContexts.forServer(server.keyPair().getPrivate(),
        List.of(server.certificate()), List.of(ca.certificate()), true, provider);

    Outcome refused = register(serverContext(server, provider), client);
    Outcome allowed = register(tls12Server, client);

    assertThat(refused.reply()).isNull();
    assertThat(refused.clientHandshake().isSuccess()).isFalse();
    assertThat(allowed.reply()).isEqualTo(new Registered("device-tls12", true, 30));
    assertThat(allowed.protocol()).isEqualTo("TLSv1.2");
  }

  @Test
  void serverContextRefusesAnEmptyTrustList() {
    assertThatThrownBy(() -> TlsContexts.forServer(
            server.keyPair().getPrivate(), List.of(server.certificate()), List.of(), false,
            SslProvider.JDK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("trustedCas is empty");
  }

  private static void assertRefusedAfterClientHandshake(Outcome outcome) {
    assertThat(outcome.reply()).isNull();
    assertThat(outcome.error()).isNotNull();
    assertThat(outcome.clientHandshake().isSuccess())
        .as("in TLS 1.3 the client finishes before the server judges its certificate")
        .isTrue();
    assertThat(outcome.serverHandshake().isSuccess()).isFalse();
  }

  private static SslContext serverContext(TestPki.Issued identity, SslProvider provider) {
    return TlsContexts.forServer(identity.keyPair().getPrivate(),
        List.of(identity.certificate(), ca.certificate()), List.of(ca.certificate()), false,
        provider);
  }

  /** What a client saw: the reply to its register, or the error that ended the connection. */
  record Outcome(Message reply, Throwable error, Future<Channel> clientHandshake,
      Future<Channel> serverHandshake, String protocol) {
  }

  private static Outcome register(SslContext serverContext, SslContext clientContext)
      throws Exception {
    CompletableFuture<Future<Channel>> serverHandshake = new CompletableFuture<>();
    Channel listener = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            SslHandler tls = serverContext.newHandler(ch.alloc());
            tls.handshakeFuture()
                .addListener(f -> serverHandshake.complete(tls.handshakeFuture()));
            ch.pipeline().addLast(tls, new FrameDecoder(), new FrameEncoder(),
                new RegisteringHandler(tls));
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    int port = ((InetSocketAddress) listener.localAddress()).getPort();

    try {
      CompletableFuture<Message> reply = new CompletableFuture<>();
      SslHandler[] tls = new SslHandler[1];
      Channel channel = new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              tls[0] = TlsContexts.clientHandler(clientContext, ch.alloc(), HOST, port);
              tls[0].handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                  ch.writeAndFlush(Register.current("1.0.0", Map.of("model", "test")));
                }
              });
              ch.pipeline().addLast(tls[0], new FrameDecoder(), new FrameEncoder(),
                  new ReplyCollector(reply));
            }
          })
          .connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();

      Message message = null;
      Throwable error = null;
      try {
        message = reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        error = e.getCause();
      }
      channel.close().sync();
      tls[0].handshakeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS);
      Future<Channel> serverResult = serverHandshake.get(WAIT_SECONDS, TimeUnit.SECONDS);
      String protocol = tls[0].engine().getSession().getProtocol();
      return new Outcome(message, error, tls[0].handshakeFuture(), serverResult, protocol);
    } finally {
      listener.close().sync();
    }
  }

  /** The server side of the test: answers register with registered for the certificate's CN. */
  private static final class RegisteringHandler extends SimpleChannelInboundHandler<Message> {

    private final SslHandler tls;

    RegisteringHandler(SslHandler tls) {
      this.tls = tls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) throws Exception {
      if (msg instanceof Register) {
        SSLSession session = tls.engine().getSession();
        X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
        X500Name subject = X500Name.getInstance(peer.getSubjectX500Principal().getEncoded());
        String cn =
            IETFUtils.valueToString(subject.getRDNs(BCStyle.CN)[0].getFirst().getValue());
        ctx.writeAndFlush(new Registered(cn, true, 30));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static final class ReplyCollector extends SimpleChannelInboundHandler<Message> {

    private final CompletableFuture<Message> reply;

    ReplyCollector(CompletableFuture<Message> reply) {
      this.reply = reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
      reply.complete(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      reply.completeExceptionally(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      reply.completeExceptionally(new ClosedChannelException());
    }
  }
}
