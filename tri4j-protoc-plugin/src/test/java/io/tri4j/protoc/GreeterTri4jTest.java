package io.tri4j.protoc;

import static io.tri4j.StatusAssertions.assertFailsWithStatus;
import static io.tri4j.StatusAssertions.assertStatus;
import static io.tri4j.protoc.GreeterImplementations.reply;
import static io.tri4j.protoc.GreeterImplementations.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.MethodType;
import io.tri4j.ReadStream;
import io.tri4j.ReferenceConfig;
import io.tri4j.RequestObserver;
import io.tri4j.ResponseStream;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StreamingCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterProto;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.apache.dubbo.samples.proto.GreeterTri4j.GreeterStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The code generated for {@code greeter.proto}: every call style of the stub, blocking and async,
 * against real tri4j servers on loopback that run the generated server interfaces, blocking and
 * async, and against servers that implement nothing.
 */
class GreeterTri4jTest {
  /** Which generated server interface a server implements. */
  enum Implementation {
    BLOCKING,
    ASYNC
  }

  private static final Map<Implementation, Server> servers = new EnumMap<>(Implementation.class);
  private static final Map<Implementation, Server> emptyServers =
      new EnumMap<>(Implementation.class);
  private static final List<Client> clients = new ArrayList<>();

  @BeforeAll
  static void startServers() {
    servers.put(
        Implementation.BLOCKING,
        start(GreeterTri4j.serviceHandler(new GreeterImplementations.Blocking())));
    servers.put(
        Implementation.ASYNC,
        start(GreeterTri4j.serviceHandler(new GreeterImplementations.Async())));
    emptyServers.put(
        Implementation.BLOCKING, start(GreeterTri4j.serviceHandler(new GreeterTri4j.Greeter() {})));
    emptyServers.put(
        Implementation.ASYNC,
        start(GreeterTri4j.serviceHandler(new GreeterTri4j.AsyncGreeter() {})));
  }

  private static Server start(RpcServiceHandler handler) {
    return new Server(new ServiceConfig(handler).withHost("127.0.0.1").withPort(0)).start();
  }

  @AfterAll
  static void stopServers() {
    clients.forEach(Client::close);
    servers.values().forEach(Server::close);
    emptyServers.values().forEach(Server::close);
  }

  private static ReferenceConfig reference(Server server) {
    return ReferenceConfig.fromUrl(
        "tri://127.0.0.1:" + server.port() + "/" + GreeterTri4j.SERVICE_NAME);
  }

  private static Client client(ReferenceConfig reference) {
    Client client = new Client(reference);
    clients.add(client);
    return client;
  }

  private static GreeterStub stub(Implementation implementation) {
    return new GreeterStub(client(reference(servers.get(implementation))));
  }

  private static GreeterStub emptyStub(Implementation implementation) {
    return new GreeterStub(client(reference(emptyServers.get(implementation))));
  }

  private static List<String> messages(Iterable<GreeterReply> replies) {
    List<String> messages = new ArrayList<>();
    replies.forEach(reply -> messages.add(reply.getMessage()));
    return messages;
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void unary_blockingForResponseAndAsync_helloAndTheName(Implementation implementation)
      throws Exception {
    GreeterStub stub = stub(implementation);

    assertThat(stub.greet(request("world")).getMessage()).isEqualTo("hello world");
    assertThat(stub.greetForResponse(request("headers")).message().getMessage())
        .isEqualTo("hello headers");
    assertThat(stub.greetAsync(request("async")).get(10, TimeUnit.SECONDS).getMessage())
        .isEqualTo("hello async");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void unary_withCallOptions_headersReachTheServer(Implementation implementation) throws Exception {
    GreeterStub stub = stub(implementation);
    CallOptions options =
        CallOptions.DEFAULT
            .withTimeout(Duration.ofSeconds(10))
            .withHeaders(new Metadata().put("x-suffix", "!"));

    assertThat(stub.greet(request("a"), options).getMessage()).isEqualTo("hello a!");
    assertThat(stub.greetForResponse(request("b"), options).message().getMessage())
        .isEqualTo("hello b!");
    assertThat(stub.greetAsync(request("c"), options).get(10, TimeUnit.SECONDS).getMessage())
        .isEqualTo("hello c!");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void clientStream_iterableIteratorAndWrittenCall_namesJoined(Implementation implementation) {
    GreeterStub stub = stub(implementation);
    List<GreeterRequest> requests = List.of(request("a"), request("b"), request("c"));

    assertThat(stub.clientStream(requests).getMessage()).isEqualTo("a b c");
    assertThat(stub.clientStream(requests.iterator(), CallOptions.DEFAULT).getMessage())
        .isEqualTo("a b c");
    assertThat(stub.clientStream(requests, CallOptions.DEFAULT).getMessage()).isEqualTo("a b c");
    assertThat(stub.clientStream(requests.iterator()).getMessage()).isEqualTo("a b c");
    try (StreamingCall<GreeterRequest, GreeterReply> call = stub.clientStream()) {
      call.write(request("x"));
      call.write(request("y"));
      call.doneWriting();
      assertThat(call.read().getMessage()).isEqualTo("x y");
      assertThat(call.read()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void clientStream_async_oneResponse(Implementation implementation) throws Exception {
    Recorder<GreeterReply> response = new Recorder<>();

    RequestObserver<GreeterRequest> requests =
        stub(implementation).clientStreamAsync(response, CallOptions.DEFAULT);
    requests.onNext(request("p"));
    requests.onNext(request("q"));
    requests.onCompleted();

    assertThat(messages(response.await())).containsExactly("p q");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void serverStream_readStreamAndAsync_threeReplies(Implementation implementation)
      throws Exception {
    GreeterStub stub = stub(implementation);
    Recorder<GreeterReply> responses = new Recorder<>();

    try (ResponseStream<GreeterReply> replies = stub.serverStream(request("n"))) {
      assertThat(messages(replies)).containsExactly("n-0", "n-1", "n-2");
    }
    try (ReadStream<GreeterReply> replies = stub.serverStream(request("o"), CallOptions.DEFAULT)) {
      assertThat(messages(replies)).containsExactly("o-0", "o-1", "o-2");
    }
    stub.serverStreamAsync(request("s"), responses);

    assertThat(messages(responses.await())).containsExactly("s-0", "s-1", "s-2");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void biStream_iterableIteratorAndAsync_eachNameEchoed(Implementation implementation)
      throws Exception {
    GreeterStub stub = stub(implementation);
    List<GreeterRequest> requests = List.of(request("a"), request("b"));
    Recorder<GreeterReply> responses = new Recorder<>();

    try (ResponseStream<GreeterReply> replies = stub.biStream(requests)) {
      assertThat(messages(replies)).containsExactly("a", "b");
    }
    try (ResponseStream<GreeterReply> replies = stub.biStream(requests.iterator())) {
      assertThat(messages(replies)).containsExactly("a", "b");
    }
    RequestObserver<GreeterRequest> async = stub.biStreamAsync(responses);
    async.onNext(request("c"));
    async.onCompleted();

    assertThat(messages(responses.await())).containsExactly("c");
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void biStream_writtenCall_pingPong(Implementation implementation) {
    try (StreamingCall<GreeterRequest, GreeterReply> call =
        stub(implementation).biStream(CallOptions.DEFAULT)) {
      call.write(request("ping"));
      assertThat(call.read().getMessage()).isEqualTo("ping");
      call.write(request("pong"));
      assertThat(call.read().getMessage()).isEqualTo("pong");
      call.doneWriting();
      assertThat(call.read()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Implementation.class)
  void everyStyle_notImplemented_unimplementedNamingTheMethod(Implementation implementation)
      throws Exception {
    GreeterStub stub = emptyStub(implementation);
    String service = "Method org.apache.dubbo.samples.proto.Greeter/";
    Recorder<GreeterReply> serverStream = new Recorder<>();
    Recorder<GreeterReply> biStream = new Recorder<>();

    assertStatus(() -> stub.greet(request("a")), Status.Code.UNIMPLEMENTED, service + "greet is");
    assertFailsWithStatus(
        stub.greetAsync(request("a")), Status.Code.UNIMPLEMENTED, service + "greet is");
    assertStatus(
        () -> stub.clientStream(List.of(request("a"))),
        Status.Code.UNIMPLEMENTED,
        service + "clientStream is not implemented");
    assertStatus(
        () -> stub.serverStream(request("a")).read(),
        Status.Code.UNIMPLEMENTED,
        service + "serverStream is not implemented");
    stub.serverStreamAsync(request("a"), serverStream);
    assertFailsWithStatus(serverStream.done(), Status.Code.UNIMPLEMENTED, service + "serverStream");
    assertStatus(
        () -> stub.biStream(List.of(request("a"))).read(),
        Status.Code.UNIMPLEMENTED,
        service + "biStream is not implemented");
    stub.biStreamAsync(biStream).onCompleted();
    assertFailsWithStatus(biStream.done(), Status.Code.UNIMPLEMENTED, service + "biStream");
  }

  @Test
  void stub_jsonClient_callsInJson() {
    ReferenceConfig json =
        reference(servers.get(Implementation.BLOCKING))
            .withSerialization(ReferenceConfig.Serialization.JSON);
    GreeterStub stub = new GreeterStub(client(json));

    assertThat(stub.greet(request("json")).getMessage()).isEqualTo("hello json");
    assertThat(messages(stub.serverStream(request("j")))).containsExactly("j-0", "j-1", "j-2");
  }

  @Test
  void stub_clientOfAnotherService_illegalArgumentSayingWhichService() {
    Client other =
        client(ReferenceConfig.fromUrl("tri://127.0.0.1:1/org.apache.dubbo.samples.proto.Other"));

    assertThatThrownBy(() -> new GreeterStub(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The client calls org.apache.dubbo.samples.proto.Other, not"
                + " org.apache.dubbo.samples.proto.Greeter: make it with a reference to"
                + " tri://host:port/org.apache.dubbo.samples.proto.Greeter");
  }

  @Test
  void methodTable_namesAsInTheProtoAndTheirStyles() throws Exception {
    assertThat(GreeterTri4j.SERVICE_NAME).isEqualTo("org.apache.dubbo.samples.proto.Greeter");
    assertThat(GreeterTri4j.methods())
        .extracting(GreeterTri4j.Method::info)
        .containsExactly(
            new MethodInfo(GreeterTri4j.SERVICE_NAME, "greet", MethodType.UNARY),
            new MethodInfo(GreeterTri4j.SERVICE_NAME, "clientStream", MethodType.CLIENT_STREAMING),
            new MethodInfo(GreeterTri4j.SERVICE_NAME, "serverStream", MethodType.SERVER_STREAMING),
            new MethodInfo(GreeterTri4j.SERVICE_NAME, "biStream", MethodType.BIDI_STREAMING));
    GreeterTri4j.Method<GreeterRequest, GreeterReply> greet = GreeterTri4j.METHOD_GREET;
    assertThat(greet.requestType()).isEqualTo(GreeterRequest.getDefaultInstance());
    assertThat(greet.responseType()).isEqualTo(GreeterReply.getDefaultInstance());
    byte[] bytes = greet.requestSerializer().serialize(request("x"));
    assertThat(greet.requestDeserializer().deserialize(bytes)).isEqualTo(request("x"));
    bytes = greet.responseSerializer().serialize(reply("y"));
    assertThat(greet.responseDeserializer().deserialize(bytes)).isEqualTo(reply("y"));
  }

  @Test
  void descriptors_theProtoFileAndTheService() {
    assertThat(GreeterTri4j.fileDescriptor()).isSameAs(GreeterProto.getDescriptor());
    assertThat(GreeterTri4j.serviceDescriptor().getFullName()).isEqualTo(GreeterTri4j.SERVICE_NAME);
    assertThat(GreeterTri4j.serviceDescriptor().getMethods())
        .extracting(m -> m.getName())
        .containsExactly("greet", "clientStream", "serverStream", "biStream");
  }

  @Test
  void serviceHandler_everyMethodWithItsStyle() {
    RpcServiceHandler handler = GreeterTri4j.serviceHandler(new GreeterTri4j.AsyncGreeter() {});

    assertThat(handler.serviceName()).isEqualTo(GreeterTri4j.SERVICE_NAME);
    assertThat(handler.methodHandlers())
        .hasEntrySatisfying("greet", h -> assertThat(h.type()).isEqualTo(MethodType.UNARY))
        .hasEntrySatisfying(
            "biStream", h -> assertThat(h.type()).isEqualTo(MethodType.BIDI_STREAMING))
        .hasSize(4);
  }

  @Test
  void serviceHandler_carriesTheServiceDescriptor() {
    RpcServiceHandler blocking = GreeterTri4j.serviceHandler(new GreeterTri4j.Greeter() {});
    RpcServiceHandler async = GreeterTri4j.serviceHandler(new GreeterTri4j.AsyncGreeter() {});

    assertThat(blocking.schemaDescriptor()).isSameAs(GreeterTri4j.serviceDescriptor());
    assertThat(async.schemaDescriptor()).isSameAs(GreeterTri4j.serviceDescriptor());
  }
}
