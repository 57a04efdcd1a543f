package io.tri4j.interop;

import com.google.protobuf.ByteString;
import io.tri4j.Metadata;
import io.tri4j.ReadStream;
import io.tri4j.RpcServiceHandler;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.WriteStream;
import io.tri4j.interop.testing.EmptyProtos.Empty;
import io.tri4j.interop.testing.Messages.BoolValue;
import io.tri4j.interop.testing.Messages.EchoStatus;
import io.tri4j.interop.testing.Messages.Payload;
import io.tri4j.interop.testing.Messages.ResponseParameters;
import io.tri4j.interop.testing.Messages.SimpleRequest;
import io.tri4j.interop.testing.Messages.SimpleResponse;
import io.tri4j.interop.testing.Messages.StreamingInputCallRequest;
import io.tri4j.interop.testing.Messages.StreamingInputCallResponse;
import io.tri4j.interop.testing.Messages.StreamingOutputCallRequest;
import io.tri4j.interop.testing.Messages.StreamingOutputCallResponse;
import io.tri4j.interop.testing.TestServiceTri4j;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC's interop {@code grpc.testing.TestService}, written on the interface protoc-gen-tri4j
 * generates, as gRPC's interop test descriptions ask of a server. {@code UnimplementedCall} is left
 * unimplemented on purpose: the generated default answers {@code UNIMPLEMENTED}.
 */
public final class TestServiceImpl implements TestServiceTri4j.TestService {
  public static final String SERVICE_NAME = TestServiceTri4j.SERVICE_NAME;
  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

  /** The service, ready for a {@code ServiceConfig}. */
  public static RpcServiceHandler handler() {
    return TestServiceTri4j.serviceHandler(new TestServiceImpl());
  }

  @Override
  public Empty emptyCall(Empty request) {
    echoMetadata();
    return Empty.getDefaultInstance();
  }

  @Override
  public SimpleResponse unaryCall(SimpleRequest request) {
    return respond(request);
  }

  @Override
  public SimpleResponse cacheableUnaryCall(SimpleRequest request) {
    return respond(request);
  }

  private static SimpleResponse respond(SimpleRequest request) {
    ServerContext ctx = ServerContext.current();
    echoMetadata();
    checkCompression(request.hasExpectCompressed(), request.getExpectCompressed());
    if (request.hasResponseCompressed()) {
      ctx.setCompression(request.getResponseCompressed().getValue() ? "gzip" : "identity");
    }
    failIfAsked(request.hasResponseStatus(), request.getResponseStatus());
    return SimpleResponse.newBuilder().setPayload(payload(request.getResponseSize())).build();
  }

  @Override
  public void streamingOutputCall(
      StreamingOutputCallRequest request, WriteStream<StreamingOutputCallResponse> responses)
      throws InterruptedException {
    echoMetadata();
    respond(request, responses);
    failIfAsked(request.hasResponseStatus(), request.getResponseStatus());
  }

  @Override
  public StreamingInputCallResponse streamingInputCall(
      ReadStream<StreamingInputCallRequest> requests) {
    echoMetadata();
    int total = 0;
    for (StreamingInputCallRequest request : requests) {
      checkCompression(request.hasExpectCompressed(), request.getExpectCompressed());
      total += request.getPayload().getBody().size();
    }
    return StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build();
  }

  @Override
  public void fullDuplexCall(
      ReadStream<StreamingOutputCallRequest> requests,
      WriteStream<StreamingOutputCallResponse> responses)
      throws InterruptedException {
    echoMetadata();
    for (StreamingOutputCallRequest request : requests) {
      failIfAsked(request.hasResponseStatus(), request.getResponseStatus());
      respond(request, responses);
    }
  }

  @Override
  public void halfDuplexCall(
      ReadStream<StreamingOutputCallRequest> requests,
      WriteStream<StreamingOutputCallResponse> responses)
      throws InterruptedException {
    echoMetadata();
    List<StreamingOutputCallRequest> all = new ArrayList<>();
    requests.forEach(all::add);
    for (StreamingOutputCallRequest request : all) {
      respond(request, responses);
    }
  }

  /** Writes one response per response parameter, honouring interval and compression. */
  private static void respond(
      StreamingOutputCallRequest request, WriteStream<StreamingOutputCallResponse> responses)
      throws InterruptedException {
    ServerContext ctx = ServerContext.current();
    for (ResponseParameters p : request.getResponseParametersList()) {
      if (p.getCompressed().getValue()) {
        ctx.setCompression("gzip");
      }
    }
    for (ResponseParameters p : request.getResponseParametersList()) {
      if (p.getIntervalUs() > 0) {
        TimeUnit.MICROSECONDS.sleep(p.getIntervalUs());
      }
      ctx.setMessageCompression(p.getCompressed().getValue());
      responses.write(
          StreamingOutputCallResponse.newBuilder().setPayload(payload(p.getSize())).build());
    }
  }

  /** The spec's compression check: a request's compressed flag must match what it expects. */
  private static void checkCompression(boolean present, BoolValue expected) {
    if (!present) {
      return;
    }
    boolean compressed = ServerContext.current().lastRequestCompressed();
    if (expected.getValue() && !compressed) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Expected a compressed request, but it was not compressed")
          .asException();
    }
    if (!expected.getValue() && compressed) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Expected an uncompressed request, but it was compressed")
          .asException();
    }
  }

  private static void failIfAsked(boolean present, EchoStatus status) {
    if (present && status.getCode() != 0) {
      throw new StatusException(
          Status.fromCodeValue(status.getCode()).withDescription(status.getMessage()),
          ServerContext.current().responseTrailers());
    }
  }

  /** custom_metadata: initial metadata back in the headers, trailing metadata in the trailers. */
  private static void echoMetadata() {
    ServerContext ctx = ServerContext.current();
    Metadata in = ctx.requestHeaders();
    String initial = in.get(ECHO_INITIAL);
    if (initial != null && ctx.responseHeaders().get(ECHO_INITIAL) == null) {
      ctx.responseHeaders().put(ECHO_INITIAL, initial);
    }
    byte[] trailing = in.getBinary(ECHO_TRAILING);
    if (trailing != null && ctx.responseTrailers().getBinary(ECHO_TRAILING) == null) {
      ctx.responseTrailers().putBinary(ECHO_TRAILING, trailing);
    }
  }

  static Payload payload(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }
}
