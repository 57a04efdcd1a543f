package io.tri4j.interop;

import io.tri4j.BidiStreamCallable;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ClientStreamCallable;
import io.tri4j.ClientTls;
import io.tri4j.Metadata;
import io.tri4j.ReadResult;
import io.tri4j.ReferenceConfig;
import io.tri4j.Response;
import io.tri4j.ResponseStream;
import io.tri4j.ServerStreamCallable;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import io.tri4j.UnaryCallable;
import io.tri4j.interop.testing.EmptyProtos.Empty;
import io.tri4j.interop.testing.Messages.BoolValue;
import io.tri4j.interop.testing.Messages.EchoStatus;
import io.tri4j.interop.testing.Messages.ResponseParameters;
import io.tri4j.interop.testing.Messages.SimpleRequest;
import io.tri4j.interop.testing.Messages.SimpleResponse;
import io.tri4j.interop.testing.Messages.StreamingInputCallRequest;
import io.tri4j.interop.testing.Messages.StreamingInputCallResponse;
import io.tri4j.interop.testing.Messages.StreamingOutputCallRequest;
import io.tri4j.interop.testing.Messages.StreamingOutputCallResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * gRPC's interop test cases, as a client written with tri4j. Each case throws {@link
 * AssertionError} (or the call's {@link StatusException}) when the server does not behave as gRPC's
 * interop test descriptions say.
 */
public final class InteropClient implements AutoCloseable {
  /** The cases this client runs, by their names in gRPC's interop descriptions. */
  public static final List<String> CASES =
      List.of(
          "empty_unary",
          "large_unary",
          "client_streaming",
          "server_streaming",
          "ping_pong",
          "empty_stream",
          "cancel_after_begin",
          "cancel_after_first_response",
          "timeout_on_sleeping_server",
          "custom_metadata",
          "status_code_and_message",
          "special_status_message",
          "unimplemented_method",
          "unimplemented_service",
          "client_compressed_unary",
          "client_compressed_unary_noprobe",
          "client_compressed_streaming",
          "client_compressed_streaming_noprobe",
          "server_compressed_unary",
          "server_compressed_streaming",
          "very_large_request");

  private static final String SPECIAL_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n";

  private final Client client;
  private final Client unimplementedService;
  private final UnaryCallable<Empty, Empty> emptyCall;
  private final UnaryCallable<SimpleRequest, SimpleResponse> unaryCall;
  private final ClientStreamCallable<StreamingInputCallRequest, StreamingInputCallResponse>
      streamingInputCall;
  private final ServerStreamCallable<StreamingOutputCallRequest, StreamingOutputCallResponse>
      streamingOutputCall;
  private final BidiStreamCallable<StreamingOutputCallRequest, StreamingOutputCallResponse>
      fullDuplexCall;

  public InteropClient(String host, int port) {
    this(host, port, null);
  }

  /** A client of the TestService at {@code host:port}, with TLS unless {@code tls} is null. */
  public InteropClient(String host, int port, ClientTls tls) {
    String base = "tri://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/";
    int limit = 16 * 1024 * 1024;
    ReferenceConfig service =
        ReferenceConfig.fromUrl(base + TestServiceImpl.SERVICE_NAME)
            .withMaxInboundMessageSize(limit);
    ReferenceConfig unimplemented =
        ReferenceConfig.fromUrl(base + "grpc.testing.UnimplementedService");
    client = new Client(tls == null ? service : service.withTls(tls));
    unimplementedService = new Client(tls == null ? unimplemented : unimplemented.withTls(tls));
    emptyCall = client.unary("EmptyCall", Empty::toByteArray, Empty::parseFrom);
    unaryCall = client.unary("UnaryCall", SimpleRequest::toByteArray, SimpleResponse::parseFrom);
    streamingInputCall =
        client.clientStream(
            "StreamingInputCall",
            StreamingInputCallRequest::toByteArray,
            StreamingInputCallResponse::parseFrom);
    streamingOutputCall =
        client.serverStream(
            "StreamingOutputCall",
            StreamingOutputCallRequest::toByteArray,
            StreamingOutputCallResponse::parseFrom);
    fullDuplexCall =
        client.bidiStream(
            "FullDuplexCall",
            StreamingOutputCallRequest::toByteArray,
            StreamingOutputCallResponse::parseFrom);
  }

  /** Runs one case by name. */
  public void run(String testCase) throws Exception {
    switch (testCase) {
      case "empty_unary" -> emptyUnary();
      case "large_unary" -> largeUnary();
      case "client_streaming" -> clientStreaming();
      case "server_streaming" -> serverStreaming();
      case "ping_pong" -> pingPong();
      case "empty_stream" -> emptyStream();
      case "cancel_after_begin" -> cancelAfterBegin();
      case "cancel_after_first_response" -> cancelAfterFirstResponse();
      case "timeout_on_sleeping_server" -> timeoutOnSleepingServer();
      case "custom_metadata" -> customMetadata();
      case "status_code_and_message" -> statusCodeAndMessage();
      case "special_status_message" -> specialStatusMessage();
      case "unimplemented_method" -> unimplementedMethod();
      case "unimplemented_service" -> unimplementedService();
      case "client_compressed_unary" -> clientCompressedUnary(true);
      case "client_compressed_unary_noprobe" -> clientCompressedUnary(false);
      case "client_compressed_streaming" -> clientCompressedStreaming(true);
      case "client_compressed_streaming_noprobe" -> clientCompressedStreaming(false);
      case "server_compressed_unary" -> serverCompressedUnary();
      case "server_compressed_streaming" -> serverCompressedStreaming();
      case "very_large_request" -> veryLargeRequest();
      default ->
          throw new IllegalArgumentException(
              "Unknown test case '" + testCase + "'; known: " + String.join(", ", CASES));
    }
  }

  // ---- the cases ----

  private void emptyUnary() {
    check(emptyCall.call(Empty.getDefaultInstance()).equals(Empty.getDefaultInstance()), "empty");
  }

  private void largeUnary() {
    SimpleResponse response =
        unaryCall.call(
            SimpleRequest.newBuilder()
                .setResponseSize(314159)
                .setPayload(TestServiceImpl.payload(271828))
                .build());
    checkPayload(response.getPayload().getBody().toByteArray(), 314159);
  }

  private void clientStreaming() {
    StreamingInputCallResponse response =
        streamingInputCall.call(
            List.of(input(27182, null), input(8, null), input(1828, null), input(45904, null)));
    checkEquals(response.getAggregatedPayloadSize(), 74922, "aggregated payload size");
  }

  private void serverStreaming() {
    StreamingOutputCallRequest request = output(31415, 9, 2653, 58979);
    int[] sizes = {31415, 9, 2653, 58979};
    int i = 0;
    for (StreamingOutputCallResponse response : streamingOutputCall.call(request)) {
      check(i < sizes.length, "too many responses");
      checkPayload(response.getPayload().getBody().toByteArray(), sizes[i++]);
    }
    checkEquals(i, sizes.length, "responses");
  }

  private void pingPong() {
    int[] requestSizes = {27182, 8, 1828, 45904};
    int[] responseSizes = {31415, 9, 2653, 58979};
    try (StreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        fullDuplexCall.call()) {
      for (int i = 0; i < requestSizes.length; i++) {
        call.write(
            output(responseSizes[i]).toBuilder()
                .setPayload(TestServiceImpl.payload(requestSizes[i]))
                .build());
        ReadResult<StreamingOutputCallResponse> reply = call.read(Duration.ofSeconds(10));
        check(reply.isMessage(), "no response to request " + i + ": " + reply);
        checkPayload(reply.message().getPayload().getBody().toByteArray(), responseSizes[i]);
      }
      call.doneWriting();
      check(call.read() == null, "expected the end of the stream");
    }
  }

  private void emptyStream() {
    StreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        fullDuplexCall.call();
    call.doneWriting();
    check(call.read() == null, "expected no responses");
  }

  private void cancelAfterBegin() {
    StreamingCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
        streamingInputCall.call();
    call.cancel("cancel_after_begin");
    expectStatus(call::read, Status.Code.CANCELLED);
  }

  private void cancelAfterFirstResponse() {
    StreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        fullDuplexCall.call();
    call.write(output(31415).toBuilder().setPayload(TestServiceImpl.payload(27182)).build());
    checkPayload(call.read().getPayload().getBody().toByteArray(), 31415);
    call.cancel("cancel_after_first_response");
    expectStatus(call::read, Status.Code.CANCELLED);
  }

  private void timeoutOnSleepingServer() {
    StreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        fullDuplexCall.call(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(1)));
    try {
      call.write(
          StreamingOutputCallRequest.newBuilder()
              .setPayload(TestServiceImpl.payload(27182))
              .build());
    } catch (StatusException e) {
      // The deadline may pass before the write: that is the expected outcome too.
      checkEquals(e.getStatus().code(), Status.Code.DEADLINE_EXCEEDED, "status of the write");
    }
    expectStatus(call::read, Status.Code.DEADLINE_EXCEEDED);
  }

  private void customMetadata() {
    byte[] trailing = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
    Metadata headers =
        new Metadata()
            .put(TestServiceImpl.ECHO_INITIAL, "test_initial_metadata_value")
            .putBinary(TestServiceImpl.ECHO_TRAILING, trailing);
    CallOptions options = CallOptions.DEFAULT.withHeaders(headers);

    Response<SimpleResponse> unary =
        unaryCall.callForResponse(
            SimpleRequest.newBuilder()
                .setResponseSize(314159)
                .setPayload(TestServiceImpl.payload(271828))
                .build(),
            options);
    checkPayload(unary.message().getPayload().getBody().toByteArray(), 314159);
    checkEquals(
        unary.headers().get(TestServiceImpl.ECHO_INITIAL),
        "test_initial_metadata_value",
        "initial");
    check(
        Arrays.equals(unary.trailers().getBinary(TestServiceImpl.ECHO_TRAILING), trailing),
        "trailing metadata of the unary call");

    StreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        fullDuplexCall.call(options);
    call.write(output(314159).toBuilder().setPayload(TestServiceImpl.payload(271828)).build());
    call.doneWriting();
    checkPayload(call.read().getPayload().getBody().toByteArray(), 314159);
    check(call.read() == null, "expected one response");
    checkEquals(
        call.headers().get(TestServiceImpl.ECHO_INITIAL), "test_initial_metadata_value", "initial");
    check(
        Arrays.equals(call.trailers().getBinary(TestServiceImpl.ECHO_TRAILING), trailing),
        "trailing metadata of the streaming call");
  }

  private void statusCodeAndMessage() {
    checkEchoStatus(2, "test status message");
  }

  private void specialStatusMessage() {
    checkEchoStatus(2, SPECIAL_MESSAGE);
  }

  private void checkEchoStatus(int code, String message) {
    EchoStatus status = EchoStatus.newBuilder().setCode(code).setMessage(message).build();
    expectStatus(
        () -> unaryCall.call(SimpleRequest.newBuilder().setResponseStatus(status).build()),
        Status.Code.fromValue(code),
        message);
    StreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        fullDuplexCall.call();
    call.write(StreamingOutputCallRequest.newBuilder().setResponseStatus(status).build());
    call.doneWriting();
    expectStatus(call::read, Status.Code.fromValue(code), message);
  }

  private void unimplementedMethod() {
    expectStatus(
        () ->
            client
                .unary("UnimplementedCall", Empty::toByteArray, Empty::parseFrom)
                .call(Empty.getDefaultInstance()),
        Status.Code.UNIMPLEMENTED);
  }

  private void unimplementedService() {
    expectStatus(
        () ->
            unimplementedService
                .unary("UnimplementedCall", Empty::toByteArray, Empty::parseFrom)
                .call(Empty.getDefaultInstance()),
        Status.Code.UNIMPLEMENTED);
  }

  private void clientCompressedUnary(boolean probe) {
    SimpleRequest expectCompressed =
        SimpleRequest.newBuilder()
            .setExpectCompressed(bool(true))
            .setResponseSize(314159)
            .setPayload(TestServiceImpl.payload(271828))
            .build();
    if (probe) {
      // A server that checks compression rejects an uncompressed request that expects it.
      expectStatus(() -> unaryCall.call(expectCompressed), Status.Code.INVALID_ARGUMENT);
    }
    SimpleResponse compressed =
        unaryCall.call(expectCompressed, CallOptions.DEFAULT.withCompression("gzip"));
    checkPayload(compressed.getPayload().getBody().toByteArray(), 314159);
    SimpleResponse plain =
        unaryCall.call(expectCompressed.toBuilder().setExpectCompressed(bool(false)).build());
    checkPayload(plain.getPayload().getBody().toByteArray(), 314159);
  }

  private void clientCompressedStreaming(boolean probe) {
    if (probe) {
      StreamingCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
          streamingInputCall.call();
      call.write(input(27182, true)); // not compressed, and not half-closed
      expectStatus(call::read, Status.Code.INVALID_ARGUMENT);
    }
    StreamingCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
        streamingInputCall.call(CallOptions.DEFAULT.withCompression("gzip"));
    call.write(input(27182, true));
    call.setMessageCompression(false);
    call.write(input(45904, false));
    call.doneWriting();
    checkEquals(call.read().getAggregatedPayloadSize(), 73086, "aggregated payload size");
  }

  private void serverCompressedUnary() {
    for (boolean compress : new boolean[] {true, false}) {
      SimpleResponse response =
          unaryCall.call(
              SimpleRequest.newBuilder()
                  .setResponseCompressed(bool(compress))
                  .setResponseSize(314159)
                  .setPayload(TestServiceImpl.payload(271828))
                  .build());
      checkPayload(response.getPayload().getBody().toByteArray(), 314159);
    }
  }

  private void serverCompressedStreaming() {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(
                ResponseParameters.newBuilder().setSize(31415).setCompressed(bool(true)))
            .addResponseParameters(
                ResponseParameters.newBuilder().setSize(92653).setCompressed(bool(false)))
            .build();
    ResponseStream<StreamingOutputCallResponse> responses = streamingOutputCall.call(request);
    checkPayload(responses.read().getPayload().getBody().toByteArray(), 31415);
    checkPayload(responses.read().getPayload().getBody().toByteArray(), 92653);
    check(responses.read() == null, "expected two responses");
  }

  private void veryLargeRequest() {
    SimpleResponse response =
        unaryCall.call(
            SimpleRequest.newBuilder()
                .setResponseSize(10)
                .setPayload(TestServiceImpl.payload(10 * 1024 * 1024))
                .build());
    checkPayload(response.getPayload().getBody().toByteArray(), 10);
  }

  // ---- helpers ----

  private static StreamingInputCallRequest input(int size, Boolean expectCompressed) {
    StreamingInputCallRequest.Builder b =
        StreamingInputCallRequest.newBuilder().setPayload(TestServiceImpl.payload(size));
    if (expectCompressed != null) {
      b.setExpectCompressed(bool(expectCompressed));
    }
    return b.build();
  }

  private static StreamingOutputCallRequest output(int... sizes) {
    StreamingOutputCallRequest.Builder b = StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      b.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    return b.build();
  }

  private static BoolValue bool(boolean value) {
    return BoolValue.newBuilder().setValue(value).build();
  }

  private static void checkPayload(byte[] body, int size) {
    checkEquals(body.length, size, "payload size");
    for (byte b : body) {
      check(b == 0, "payload bytes must be zero");
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }

  private static void checkEquals(Object got, Object want, String what) {
    if (!Objects.equals(got, want)) {
      throw new AssertionError(what + ": expected " + want + " but got " + got);
    }
  }

  private static void expectStatus(Runnable call, Status.Code code) {
    expectStatus(call, code, null);
  }

  private static void expectStatus(Runnable call, Status.Code code, String message) {
    try {
      call.run();
    } catch (StatusException e) {
      checkEquals(e.getStatus().code(), code, "status code (" + e.getStatus() + ")");
      if (message != null) {
        checkEquals(e.getStatus().description(), message, "status message");
      }
      return;
    }
    throw new AssertionError("expected " + code + " but the call succeeded");
  }

  @Override
  public void close() {
    client.close();
    unimplementedService.close();
  }
}
