package io.tri4j.services.reflection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.tri4j.Client;
import io.tri4j.ReadResult;
import io.tri4j.ReferenceConfig;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StreamingCall;
import io.tri4j.services.reflection.v1.ExtensionRequest;
import io.tri4j.services.reflection.v1.ServerReflectionRequest;
import io.tri4j.services.reflection.v1.ServerReflectionResponse;
import io.tri4j.services.reflection.v1.ServerReflectionTri4j;
import io.tri4j.services.reflection.v1.ServiceResponse;
import io.tri4j.services.test.EchoExtensionsProto;
import io.tri4j.services.test.EchoReply;
import io.tri4j.services.test.EchoRequest;
import io.tri4j.services.test.EchoTri4j;
import io.tri4j.testing.Closer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProtoReflectionServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ECHO_FILE = "tri4j/services/test/echo.proto";
  private static final String TYPES_FILE = "tri4j/services/test/echo_types.proto";
  private static final String EXTENSIONS_FILE = "tri4j/services/test/echo_extensions.proto";

  @RegisterExtension final Closer closer = new Closer();

  private static final RpcServiceHandler ECHO =
      EchoTri4j.serviceHandler(
          new EchoTri4j.Echo() {
            @Override
            public EchoReply echo(EchoRequest request) {
              return EchoReply.newBuilder().setText(request.getText()).build();
            }
          });

  /** A hand-written service, with no descriptor. */
  private static final RpcServiceHandler BYTES =
      new RpcServiceHandler(
          "test.Bytes", Map.of("echo", RpcMethodHandler.unary(b -> b, b -> b, b -> b)));

  /** Serves {@code reflection} and answers each request on one v1 stream. */
  private List<ServerReflectionResponse> ask(
      ProtoReflectionService reflection, ServerReflectionRequest... requests)
      throws InvalidProtocolBufferException {
    return ask(
        reflection,
        ServerReflectionTri4j.SERVICE_NAME,
        client -> new ServerReflectionTri4j.ServerReflectionStub(client).serverReflectionInfo(),
        ServerReflectionRequest.parser(),
        requests);
  }

  /**
   * Serves {@code reflection} and answers each request on one stream of {@code serviceName}, the
   * messages turned to and from the stream's types through their bytes (v1 and v1alpha share them).
   */
  private <Q extends Message, R extends Message> List<ServerReflectionResponse> ask(
      ProtoReflectionService reflection,
      String serviceName,
      Function<Client, StreamingCall<Q, R>> open,
      Parser<Q> requestParser,
      ServerReflectionRequest... requests)
      throws InvalidProtocolBufferException {
    List<ServiceConfig> configs = new ArrayList<>();
    for (RpcServiceHandler handler : reflection.serviceHandlers()) {
      configs.add(new ServiceConfig(handler).withHost("127.0.0.1").withPort(0));
    }
    Server server = closer.add(new Server(configs).start());
    Client client =
        closer.add(
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + serviceName)));
    List<ServerReflectionResponse> responses = new ArrayList<>();
    try (StreamingCall<Q, R> call = open.apply(client)) {
      for (ServerReflectionRequest request : requests) {
        // One at a time: each answer comes before the next question.
        call.write(requestParser.parseFrom(request.toByteString()));
        ReadResult<R> result = call.read(WAIT);
        assertThat(result.kind()).isEqualTo(ReadResult.Kind.MESSAGE);
        responses.add(ServerReflectionResponse.parseFrom(result.message().toByteString()));
      }
      call.doneWriting();
      assertThat(call.read(WAIT).kind()).isEqualTo(ReadResult.Kind.END_OF_STREAM);
    }
    return responses;
  }

  private ServerReflectionResponse askV1(
      ProtoReflectionService reflection, ServerReflectionRequest request)
      throws InvalidProtocolBufferException {
    return ask(reflection, request).get(0);
  }

  private static ServerReflectionRequest.Builder request() {
    return ServerReflectionRequest.newBuilder().setHost("localhost");
  }

  private static List<String> fileNames(ServerReflectionResponse response)
      throws InvalidProtocolBufferException {
    List<String> names = new ArrayList<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      names.add(FileDescriptorProto.parseFrom(bytes).getName());
    }
    return names;
  }

  @Test
  void listServices_theServicesWithDescriptorsAndReflectionItself() throws Exception {
    ServerReflectionRequest list = request().setListServices("*").build();

    ServerReflectionResponse response = askV1(ProtoReflectionService.of(ECHO, BYTES), list);

    assertThat(response.getValidHost()).isEqualTo("localhost");
    assertThat(response.getOriginalRequest()).isEqualTo(list);
    assertThat(response.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .containsExactly(
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "tri4j.services.test.Echo");
  }

  @Test
  void listServices_handWrittenHandlerGivenItsDescriptor_listed() throws Exception {
    RpcServiceHandler handWritten =
        new RpcServiceHandler("tri4j.services.test.Echo", ECHO.methodHandlers())
            .withSchemaDescriptor(EchoTri4j.serviceDescriptor());

    ServerReflectionResponse response =
        askV1(ProtoReflectionService.of(handWritten), request().setListServices("").build());

    assertThat(response.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .contains("tri4j.services.test.Echo");
  }

  @Test
  void fileContainingSymbol_theServiceMethodAndNestedTypes_theirFileThenItsImportsOnce()
      throws Exception {
    List<ServerReflectionResponse> responses =
        ask(
            ProtoReflectionService.of(ECHO),
            request().setFileContainingSymbol("tri4j.services.test.Echo").build(),
            request().setFileContainingSymbol("tri4j.services.test.Echo.Echo").build(),
            request().setFileContainingSymbol("tri4j.services.test.EchoRequest.Inner.Kind").build(),
            request().setFileContainingSymbol("google.protobuf.Timestamp").build());

    assertThat(fileNames(responses.get(0)))
        .containsExactly(ECHO_FILE, TYPES_FILE, "google/protobuf/timestamp.proto");
    assertThat(fileNames(responses.get(1))).startsWith(ECHO_FILE);
    assertThat(fileNames(responses.get(2)))
        .containsExactly(TYPES_FILE, "google/protobuf/timestamp.proto");
    assertThat(fileNames(responses.get(3))).containsExactly("google/protobuf/timestamp.proto");
  }

  @Test
  void unknownNames_notFoundErrorResponses_theStreamGoesOn() throws Exception {
    List<ServerReflectionResponse> responses =
        ask(
            ProtoReflectionService.of(ECHO),
            request().setFileContainingSymbol("test.Nothing").build(),
            request().setFileByFilename("nothing.proto").build(),
            request().setAllExtensionNumbersOfType("test.Nothing").build(),
            request()
                .setFileContainingExtension(
                    ExtensionRequest.newBuilder()
                        .setContainingType("tri4j.services.test.EchoRequest")
                        .setExtensionNumber(100))
                .build(),
            request().setFileByFilename(ECHO_FILE).build());

    for (ServerReflectionResponse response : responses.subList(0, 4)) {
      assertThat(response.getErrorResponse().getErrorCode())
          .isEqualTo(Status.Code.NOT_FOUND.value());
    }
    assertThat(responses.get(0).getErrorResponse().getErrorMessage()).contains("'test.Nothing'");
    assertThat(responses.get(1).getErrorResponse().getErrorMessage()).contains("'nothing.proto'");
    assertThat(responses.get(3).getErrorResponse().getErrorMessage())
        .contains("100", "tri4j.services.test.EchoRequest");
    assertThat(fileNames(responses.get(4))).startsWith(ECHO_FILE);
  }

  @Test
  void extensions_ofFilesAddedByHand_numbersAndDeclaringFile() throws Exception {
    ProtoReflectionService reflection =
        ProtoReflectionService.of(ECHO).withFiles(EchoExtensionsProto.getDescriptor());

    List<ServerReflectionResponse> responses =
        ask(
            reflection,
            request().setAllExtensionNumbersOfType("tri4j.services.test.EchoRequest").build(),
            request()
                .setFileContainingExtension(
                    ExtensionRequest.newBuilder()
                        .setContainingType("tri4j.services.test.EchoRequest")
                        .setExtensionNumber(101))
                .build(),
            request().setFileByFilename(EXTENSIONS_FILE).build(),
            request().setListServices("").build(),
            request().setAllExtensionNumbersOfType("tri4j.services.test.EchoReply").build());

    assertThat(responses.get(0).getAllExtensionNumbersResponse().getBaseTypeName())
        .isEqualTo("tri4j.services.test.EchoRequest");
    assertThat(responses.get(0).getAllExtensionNumbersResponse().getExtensionNumberList())
        .containsExactly(100, 101);
    assertThat(fileNames(responses.get(1))).first().isEqualTo(EXTENSIONS_FILE);
    assertThat(fileNames(responses.get(2))).first().isEqualTo(EXTENSIONS_FILE);
    assertThat(responses.get(3).getListServicesResponse().getServiceCount()).isEqualTo(3);
    assertThat(responses.get(4).getAllExtensionNumbersResponse().getExtensionNumberList())
        .isEmpty();
  }

  @Test
  void emptyRequest_invalidArgumentNamingTheQuestions() throws Exception {
    ServerReflectionResponse response = askV1(ProtoReflectionService.of(ECHO), request().build());

    assertThat(response.getErrorResponse().getErrorCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(response.getErrorResponse().getErrorMessage()).contains("list_services");
  }

  @Test
  void v1alpha_sameAnswersAsV1() throws Exception {
    List<ServerReflectionResponse> responses =
        ask(
            ProtoReflectionService.of(ECHO),
            io.tri4j.services.reflection.v1alpha.ServerReflectionTri4j.SERVICE_NAME,
            client ->
                new io.tri4j.services.reflection.v1alpha.ServerReflectionTri4j.ServerReflectionStub(
                        client)
                    .serverReflectionInfo(),
            io.tri4j.services.reflection.v1alpha.ServerReflectionRequest.parser(),
            request().setListServices("").build(),
            request().setFileContainingSymbol("tri4j.services.test.Echo").build());

    assertThat(responses.get(0).getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .contains("tri4j.services.test.Echo");
    assertThat(fileNames(responses.get(1))).first().isEqualTo(ECHO_FILE);
  }

  @Test
  void of_handlerCarryingAnotherServicesDescriptor_illegalArgumentNamingBoth() {
    RpcServiceHandler wrong =
        new RpcServiceHandler("test.Other", ECHO.methodHandlers())
            .withSchemaDescriptor(EchoTri4j.serviceDescriptor());

    assertThatThrownBy(() -> ProtoReflectionService.of(wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.Other")
        .hasMessageContaining("tri4j.services.test.Echo");
  }
}
