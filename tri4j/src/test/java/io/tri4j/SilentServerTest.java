package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.tri4j.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that completes the TLS handshake, choosing HTTP/2, and then never speaks: the client
 * gives up on the connection and closes it.
 */
@Timeout(30)
class SilentServerTest {
  private static final TestPki ca = TestPki.shared();

  @Test
  void aTlsServerThatNeverSpeaks_failsTheCallUnavailable_andItsConnectionIsClosed()
      throws Exception {
    TestPki.Issued cert = ca.issue("server", "127.0.0.1");
    SslContext tls =
        SslContextBuilder.forServer(cert.certificateFile().toFile(), cert.keyFile().toFile())
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    "h2"))
            .build();
    CountDownLatch closed = new CountDownLatch(1);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel listener =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline().addLast(tls.newHandler(ch.alloc())); // and nothing after it
                      ch.closeFuture().addListener(f -> closed.countDown());
                    }
                  })
              .bind(InetAddress.getLoopbackAddress(), 0)
              .sync()
              .channel();
      int port = ((InetSocketAddress) listener.localAddress()).getPort();
      try (Client client =
          new Client(
              ReferenceConfig.fromUrl("tri://127.0.0.1:" + port + "/svc.Quiet")
                  .withTls(ClientTls.defaults().withTrustedCertificates(ca.certificateFile()))
                  .withConnectTimeout(Duration.ofMillis(500)))) {
        UnaryCallable<String, String> say = client.unary("say", EchoService.SER, EchoService.DES);
        // A second caller, later, shares the attempt: it waits on with its own budget.
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        Thread later =
            new Thread(
                () -> {
                  try {
                    Thread.sleep(700);
                    say.call("later");
                    second.complete(null);
                  } catch (Throwable t) {
                    second.complete(t);
                  }
                });
        later.start();
        assertStatus(() -> say.call("hello"), Status.Code.UNAVAILABLE, "to answer over TLS");
        assertThat(closed.await(200, TimeUnit.MILLISECONDS))
            .as("kept while a caller still waits for it")
            .isFalse();

        assertThat(second.get(10, TimeUnit.SECONDS))
            .isInstanceOfSatisfying(
                StatusException.class,
                e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE));
        // While the client is still open: every caller gave up on this connection, so it closed it.
        assertThat(closed.await(5, TimeUnit.SECONDS))
            .as("the client closed the connection the server never answered on")
            .isTrue();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
