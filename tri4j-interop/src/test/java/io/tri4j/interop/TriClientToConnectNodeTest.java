package io.tri4j.interop;

import static io.tri4j.examples.GreeterClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.Metadata;
import io.tri4j.Protobuf;
import io.tri4j.ReadStream;
import io.tri4j.ReferenceConfig;
import io.tri4j.ReferenceConfig.WireProtocol;
import io.tri4j.Response;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * tri4j's client against a server nobody here wrote: @connectrpc/connect-node's Greeter (see {@link
 * ConnectNodeServer}), in every protocol the client speaks, chosen by the URL's {@code protocol}
 * parameter.
 */
@Timeout(120)
class TriClientToConnectNodeTest {
  static final String NON_ASCII = "ungültig – 名前がありません ✗ 100% sûr";

  private static ConnectNodeServer server;
  private static final Map<WireProtocol, Client> clients = new EnumMap<>(WireProtocol.class);

  @BeforeAll
  static void start() throws Exception {
    server = ConnectNodeServer.start("TriClientToConnectNodeTest");
  }

  @AfterAll
  static void stop() throws Exception {
    clients.values().forEach(Client::close);
    if (server != null) {
      server.close();
    }
  }

  private static Client client(WireProtocol protocol) {
    return clients.computeIfAbsent(
        protocol,
        p ->
            new Client(
                ReferenceConfig.fromUrl(
                    "tri://127.0.0.1:"
                        + server.port()
                        + "/"
                        + GreeterTri4j.SERVICE_NAME
                        + "?protocol="
                        + p.urlValue())));
  }

  private static GreeterTri4j.GreeterStub stub(WireProtocol protocol) {
    return new GreeterTri4j.GreeterStub(client(protocol));
  }

  @ParameterizedTest
  @EnumSource
  void unary_greet(WireProtocol protocol) {
    assertThat(stub(protocol).greet(request("node")).getMessage()).isEqualTo("hello node");
  }

  @ParameterizedTest
  @EnumSource
  void clientStream_joinsTheNames(WireProtocol protocol) {
    StreamingCall<GreeterRequest, GreeterReply> call = stub(protocol).clientStream();
    call.write(request("c"));
    call.write(request("d"));
    call.doneWriting();
    assertThat(call.read().getMessage()).isEqualTo("c d");
  }

  @ParameterizedTest
  @EnumSource
  void serverStream_gzip_threeReplies(WireProtocol protocol) {
    List<String> got = new ArrayList<>();
    client(protocol)
        .serverStream(
            "serverStream",
            Protobuf.<GreeterRequest>serializer(),
            Protobuf.deserializer(GreeterReply.parser()))
        .call(request("s"), CallOptions.DEFAULT.withCompression("gzip"))
        .forEach(r -> got.add(r.getMessage()));
    assertThat(got).containsExactly("s-0", "s-1", "s-2");
  }

  @ParameterizedTest
  @EnumSource
  void bidiStream_pingPong(WireProtocol protocol) {
    try (StreamingCall<GreeterRequest, GreeterReply> call = stub(protocol).biStream()) {
      call.write(request("ping"));
      assertThat(call.read().getMessage()).isEqualTo("ping");
      call.write(request("pong"));
      assertThat(call.read().getMessage()).isEqualTo("pong");
      call.doneWriting();
      assertThat(call.read()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource
  void unary_connectErrorWithACode_isThatStatusAndMessage(WireProtocol protocol) {
    assertThatThrownBy(() -> stub(protocol).greet(request("error:" + NON_ASCII)))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().description()).isEqualTo(NON_ASCII);
            });
  }

  @ParameterizedTest
  @EnumSource
  void unary_errorDetails_arriveAsGrpcStatusDetails(WireProtocol protocol) {
    assertThatThrownBy(() -> stub(protocol).greet(request("details:why")))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              try {
                com.google.rpc.Status details =
                    com.google.rpc.Status.parseFrom(
                        e.getTrailers().getBinary(Metadata.STATUS_DETAILS_KEY));
                assertThat(details.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
                assertThat(
                        details
                            .getDetails(0)
                            .unpack(com.google.protobuf.StringValue.class)
                            .getValue())
                    .isEqualTo("why");
              } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
                throw new AssertionError(bad);
              }
            });
  }

  @ParameterizedTest
  @EnumSource
  void serverStream_errorAfterReplies_readsThemThenThrows(WireProtocol protocol) {
    ReadStream<GreeterReply> replies = stub(protocol).serverStream(request("error:late"));
    for (int i = 0; i < 3; i++) {
      assertThat(replies.read().getMessage()).isEqualTo("error:late-" + i);
    }
    assertThatThrownBy(replies::read)
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().description()).isEqualTo("late");
            });
  }

  @ParameterizedTest
  @EnumSource
  void unary_deadline_isSentAndEndsTheCall(WireProtocol protocol) {
    assertThatThrownBy(
            () ->
                client(protocol)
                    .unary(
                        "greet",
                        Protobuf.<GreeterRequest>serializer(),
                        Protobuf.deserializer(GreeterReply.parser()))
                    .call(request("slow"), CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @ParameterizedTest
  @EnumSource
  void unary_metadataBothWays_withGzip(WireProtocol protocol) {
    Response<GreeterReply> response =
        client(protocol)
            .unary(
                "greet",
                Protobuf.<GreeterRequest>serializer(),
                Protobuf.deserializer(GreeterReply.parser()))
            .callForResponse(
                request("meta"),
                CallOptions.DEFAULT
                    .withHeaders(new Metadata().put("x-ping", "p1"))
                    .withCompression("gzip"));
    assertThat(response.message().getMessage()).isEqualTo("hello meta");
    assertThat(response.headers().get("x-pong")).isEqualTo("p1");
    assertThat(response.trailers().get("x-trailer")).isEqualTo("after p1");
    assertThat(response.headers().get("x-request-content-type"))
        .isEqualTo(
            switch (protocol) {
              case GRPC -> "application/grpc+proto";
              case GRPC_WEB -> "application/grpc-web+proto";
              case CONNECT -> "application/proto";
            });
  }

  @ParameterizedTest
  @EnumSource(names = {"GRPC_WEB", "CONNECT"})
  void json_unaryAndServerStream(WireProtocol protocol) {
    try (Client json =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:"
                    + server.port()
                    + "/"
                    + GreeterTri4j.SERVICE_NAME
                    + "?serialization=json&protocol="
                    + protocol.urlValue()))) {
      GreeterReply reply =
          json.unary(
                  "greet",
                  Protobuf.<GreeterRequest>jsonSerializer(),
                  Protobuf.jsonDeserializer(GreeterReply.getDefaultInstance()))
              .call(request("json"));
      assertThat(reply.getMessage()).isEqualTo("hello json");
      List<String> got = new ArrayList<>();
      json.serverStream(
              "serverStream",
              Protobuf.<GreeterRequest>jsonSerializer(),
              Protobuf.jsonDeserializer(GreeterReply.getDefaultInstance()))
          .call(request("j"))
          .forEach(r -> got.add(r.getMessage()));
      assertThat(got).containsExactly("j-0", "j-1", "j-2");
    }
  }
}
