package io.tri4j.interop;

import static io.tri4j.examples.GreeterClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tri4j.Client;
import io.tri4j.ReadStream;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import io.tri4j.examples.GreeterClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** tri4j's client against a real grpc-java server, over a loopback socket. */
@Timeout(60)
class TriClientToGrpcJavaServerTest {
  static final String NON_ASCII = "ungültig – 名前がありません ✗ 100% sûr";

  static Server grpcServer;
  static Client client;
  static GreeterTri4j.GreeterStub stub;

  @BeforeAll
  static void start() throws Exception {
    grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GrpcJavaGreeter())
            .build()
            .start();
    client =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:" + grpcServer.getPort() + "/" + GreeterTri4j.SERVICE_NAME));
    stub = new GreeterTri4j.GreeterStub(client);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    grpcServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void unary_greet() {
    assertThat(stub.greet(request("grpc")).getMessage()).isEqualTo("hello grpc");
  }

  @Test
  void clientStream_iteratorAndWriteForms() {
    assertThat(stub.clientStream(List.of(request("a"), request("b"))).getMessage())
        .isEqualTo("a b");
    StreamingCall<GreeterRequest, GreeterReply> call = stub.clientStream();
    call.write(request("c"));
    call.write(request("d"));
    call.doneWriting();
    assertThat(call.read().getMessage()).isEqualTo("c d");
  }

  @Test
  void serverStream_threeReplies() {
    List<String> got = new ArrayList<>();
    stub.serverStream(request("s")).forEach(r -> got.add(r.getMessage()));
    assertThat(got).containsExactly("s-0", "s-1", "s-2");
  }

  @Test
  void bidiStream_iteratorAndPingPong() {
    List<String> got = new ArrayList<>();
    stub.biStream(List.of(request("x"), request("y"))).forEach(r -> got.add(r.getMessage()));
    assertThat(got).containsExactly("x", "y");

    try (StreamingCall<GreeterRequest, GreeterReply> call = stub.biStream()) {
      call.write(request("ping"));
      assertThat(call.read().getMessage()).isEqualTo("ping");
      call.write(request("pong"));
      assertThat(call.read().getMessage()).isEqualTo("pong");
      call.doneWriting();
      assertThat(call.read()).isNull();
    }
  }

  @Test
  void protobufHelpers_serializeAndParse() {
    io.tri4j.UnaryCallable<GreeterRequest, GreeterReply> greet =
        client.unary(
            "greet",
            io.tri4j.Protobuf.serializer(),
            io.tri4j.Protobuf.deserializer(GreeterReply.parser()));
    assertThat(greet.call(request("helper")).getMessage()).isEqualTo("hello helper");
  }

  @Test
  void unary_errorWithNonAsciiMessage_arrivesIntact() {
    assertThatThrownBy(() -> stub.greet(request(GrpcJavaGreeter.ERROR_PREFIX + NON_ASCII)))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().description()).isEqualTo(NON_ASCII);
            });
  }

  @Test
  void serverStream_errorAfterMessages_readsThemThenThrows() {
    ReadStream<GreeterReply> replies =
        stub.serverStream(request(GrpcJavaGreeter.ERROR_PREFIX + NON_ASCII));
    for (int i = 0; i < 3; i++) {
      assertThat(replies.read().getMessage()).endsWith("-" + i);
    }
    assertThatThrownBy(replies::read)
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().description()).isEqualTo(NON_ASCII);
            });
  }

  @Test
  void exampleClient_allStylesAgainstGrpcJava_noMismatch() {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int failures =
        new GreeterClient(client, new PrintStream(output, true, StandardCharsets.UTF_8)).runAll();
    assertThat(failures).as(output.toString(StandardCharsets.UTF_8)).isZero();
  }
}
