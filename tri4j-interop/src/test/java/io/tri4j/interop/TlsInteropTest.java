package io.tri4j.interop;

import static io.tri4j.examples.GreeterClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tri4j.Client;
import io.tri4j.ClientTls;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServerTls;
import io.tri4j.ServiceConfig;
import io.tri4j.examples.GreeterService;
import io.tri4j.testing.Closer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterGrpc;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS between tri4j and grpc-java (its shaded Netty with its own OpenSSL) both ways, with gRPC's
 * test CA and server1 certificate, reached as {@code foo.test.google.fr}.
 */
@Timeout(60)
class TlsInteropTest {
  @RegisterExtension final Closer closer = new Closer();

  static ServerTls server1() {
    return ServerTls.fromPem(TestCerts.file("server1.pem"), TestCerts.file("server1.key"));
  }

  static ClientTls trustingTestCa() {
    return ClientTls.defaults()
        .withTrustedCertificates(TestCerts.file("ca.pem"))
        .withServerNameOverride(TestCerts.SERVER_HOST_OVERRIDE);
  }

  private Server startTri4j(ServerTls tls) {
    Server server =
        new Server(
                ServerOptions.defaults().withTls(tls),
                new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
            .start();
    closer.add(server);
    return server;
  }

  private ManagedChannel grpcChannel(int port) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .overrideAuthority(TestCerts.SERVER_HOST_OVERRIDE)
            .sslContext(
                GrpcSslContexts.forClient().trustManager(TestCerts.file("ca.pem").toFile()).build())
            .build();
    closer.add(() -> channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return channel;
  }

  @Test
  void grpcJavaClient_tri4jServerOverTls_unaryAndServerStream() throws Exception {
    Server server = startTri4j(server1());
    GreeterGrpc.GreeterBlockingStub stub =
        GreeterGrpc.newBlockingStub(grpcChannel(server.port()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);

    assertThat(stub.greet(request("tls")).getMessage()).isEqualTo("hello tls");
    List<String> replies = new ArrayList<>();
    for (Iterator<GreeterReply> it = stub.serverStream(request("s")); it.hasNext(); ) {
      replies.add(it.next().getMessage());
    }
    assertThat(replies).containsExactly("s-0", "s-1", "s-2");
  }

  @Test
  void grpcJavaPlaintextClient_tri4jTlsPort_toldToUseTls() throws Exception {
    Server server = startTri4j(server1());
    ManagedChannel plaintext =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    closer.add(() -> plaintext.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));

    assertThatThrownBy(
            () ->
                GreeterGrpc.newBlockingStub(plaintext)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .greet(request("plain")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode())
                  .as(e.getStatus().toString())
                  .isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("This port takes TLS only");
            });
    assertThat(
            GreeterGrpc.newBlockingStub(grpcChannel(server.port()))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .greet(request("tls"))
                .getMessage())
        .isEqualTo("hello tls");
  }

  @Test
  void tri4jClient_grpcJavaServerOverTls_unaryAndBidi() throws Exception {
    io.grpc.Server grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .useTransportSecurity(
                TestCerts.file("server1.pem").toFile(), TestCerts.file("server1.key").toFile())
            .addService(new GrpcJavaGreeter())
            .build()
            .start();
    closer.add(() -> grpcServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    Client client =
        new Client(
            ReferenceConfig.fromUrl(
                    "tri://127.0.0.1:" + grpcServer.getPort() + "/" + GreeterTri4j.SERVICE_NAME)
                .withTls(trustingTestCa()));
    closer.add(client);
    GreeterTri4j.GreeterStub stub = new GreeterTri4j.GreeterStub(client);

    assertThat(stub.greet(request("grpc")).getMessage()).isEqualTo("hello grpc");
    List<String> got = new ArrayList<>();
    stub.biStream(List.of(request("x"), request("y"))).forEach(r -> got.add(r.getMessage()));
    assertThat(got).containsExactly("x", "y");
  }
}
