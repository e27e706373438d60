package dev.zerotouch.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zerotouch.registry.testing.EtcdExtension;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.Version;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * jetcd (over gRPC and Vert.x, both on Netty) and a plain Netty server share one JVM and one
 * Netty version: the reactor's Netty BOM lifts every io.netty artifact to the same release.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyAlongsideJetcdTest {

  @RegisterExtension
  static final EtcdExtension ETCD = new EtcdExtension();

  @Test
  void jetcdAndANettyEchoServerWorkInOneJvmOnOneNettyVersion() throws Exception {
    EventLoopGroup group = new NioEventLoopGroup(1);
    try (Registry registry = EtcdRegistry.connect(ETCD.registryConfig())) {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext context, Object message) {
                  context.writeAndFlush(message);
                }
              });
            }
          })
          .bind("127.0.0.1", 0).sync().channel();

      registry.checkHealth();
      String echoed = echo(group, (InetSocketAddress) server.localAddress(), "ping");
      registry.checkHealth();

      assertThat(echoed).isEqualTo("ping");
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    Map<String, Version> artifacts = Version.identify();
    Set<String> versions = artifacts.values().stream().map(Version::artifactVersion)
        .collect(Collectors.toSet());
    assertThat(artifacts).containsKeys("netty-common", "netty-handler", "netty-codec-http2");
    assertThat(versions).as("netty artifacts %s", artifacts.keySet()).hasSize(1);
  }

  private static String echo(EventLoopGroup group, InetSocketAddress address, String text)
      throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf buffer = (ByteBuf) message;
            answer.complete(buffer.toString(StandardCharsets.UTF_8));
            buffer.release();
          }
        })
        .connect(address).sync().channel();
    client.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).sync();
    try {
      return answer.get(5, TimeUnit.SECONDS);
    } finally {
      client.close().sync();
    }
  }
}
