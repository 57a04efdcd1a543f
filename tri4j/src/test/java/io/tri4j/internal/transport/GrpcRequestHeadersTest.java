package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.MethodType;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.FakeClock;
import io.tri4j.internal.codec.Compression;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GrpcRequestHeadersTest {
  private static final AsciiString PATH = AsciiString.of("/test.Echo/Say");
  private static final AsciiString AUTHORITY = AsciiString.of("localhost:50051");

  private static List<String> lines(Http2Headers headers) {
    List<String> lines = new ArrayList<>();
    headers.forEach(e -> lines.add(e.getKey() + ": " + e.getValue()));
    return lines;
  }

  @Test
  void forCall_plainCall_carriesGrpcHeadersInOrder() {
    GrpcRequestHeaders grpc = new GrpcRequestHeaders(GrpcHeaders.APPLICATION_GRPC_PROTO, Map.of());

    Http2Headers headers =
        grpc.forCall(PATH, GrpcHeaders.HTTP, AUTHORITY, null, null, new Metadata());

    assertThat(lines(headers))
        .containsExactly(
            ":method: POST",
            ":path: /test.Echo/Say",
            ":scheme: http",
            ":authority: localhost:50051",
            "content-type: application/grpc+proto",
            "te: trailers",
            "user-agent: " + GrpcHeaders.USER_AGENT,
            "grpc-accept-encoding: " + GrpcHeaders.ACCEPT_ENCODINGS);
  }

  @Test
  void forCall_callsThatAddNothing_shareTheirMethodsHeaders_othersGetTheirOwn() {
    GrpcRequestHeaders grpc = new GrpcRequestHeaders(GrpcHeaders.APPLICATION_GRPC_PROTO, Map.of());
    Http2Headers first =
        grpc.forCall(PATH, GrpcHeaders.HTTP, AUTHORITY, null, null, new Metadata());

    assertThat(grpc.forCall(PATH, GrpcHeaders.HTTP, AUTHORITY, null, null, new Metadata()))
        .isSameAs(first);
    Http2Headers withMetadata =
        grpc.forCall(
            PATH, GrpcHeaders.HTTP, AUTHORITY, null, null, new Metadata().put("x-id", "a"));
    assertThat(withMetadata).isNotSameAs(first);
    assertThat(lines(withMetadata)).contains("x-id: a");
    Deadline deadline = Deadline.after(TimeUnit.SECONDS.toNanos(2), new FakeClock());
    assertThat(
            lines(grpc.forCall(PATH, GrpcHeaders.HTTP, AUTHORITY, deadline, null, new Metadata())))
        .contains("grpc-timeout: 2000000u");
    assertThat(
            lines(
                grpc.forCall(
                    PATH, GrpcHeaders.HTTP, AUTHORITY, null, Compression.GZIP, new Metadata())))
        .contains("grpc-encoding: gzip");
    assertThat(lines(first))
        .noneMatch(line -> line.startsWith("x-id") || line.startsWith("grpc-t"));

    // Another authority or another method: headers of their own, with their own values.
    AsciiString other = AsciiString.of("example.test:443");
    Http2Headers elsewhere =
        grpc.forCall(PATH, GrpcHeaders.HTTP, other, null, null, new Metadata());
    assertThat(elsewhere.authority()).hasToString("example.test:443");
    AsciiString otherPath = AsciiString.of("/test.Echo/Shout");
    assertThat(
            grpc.forCall(otherPath, GrpcHeaders.HTTP, AUTHORITY, null, null, new Metadata()).path())
        .hasToString("/test.Echo/Shout");
  }

  @Test
  void forCall_everyPart_addsTimeoutEncodingFixedHeadersAndMetadata() {
    Map<String, String> fixed = new LinkedHashMap<>();
    fixed.put("tri-service-version", "1.0");
    fixed.put("tri-service-group", "blue");
    GrpcRequestHeaders grpc = new GrpcRequestHeaders(GrpcHeaders.APPLICATION_GRPC_JSON, fixed);
    Deadline deadline = Deadline.after(TimeUnit.SECONDS.toNanos(2), new FakeClock());
    Metadata metadata =
        new Metadata()
            .put("x-id", "a")
            .put("x-id", "b")
            .putBinary("x-data-bin", "hi".getBytes(StandardCharsets.US_ASCII));

    Http2Headers headers =
        grpc.forCall(
            PATH, GrpcHeaders.HTTP, AUTHORITY, deadline, Compression.forEncoding("gzip"), metadata);

    assertThat(lines(headers).subList(4, lines(headers).size()))
        .containsExactly(
            "content-type: application/grpc+json",
            "te: trailers",
            "user-agent: " + GrpcHeaders.USER_AGENT,
            "grpc-timeout: 2000000u",
            "grpc-accept-encoding: " + GrpcHeaders.ACCEPT_ENCODINGS,
            "grpc-encoding: gzip",
            "tri-service-version: 1.0",
            "tri-service-group: blue",
            "x-id: a",
            "x-id: b",
            "x-data-bin: aGk");
  }

  @Test
  void path_sameMethod_madeOnce() {
    GrpcRequestHeaders grpc = new GrpcRequestHeaders(GrpcHeaders.APPLICATION_GRPC, Map.of());
    MethodInfo say = new MethodInfo("test.Echo", "Say", MethodType.UNARY);

    Object first = grpc.path(say);

    assertThat(first).isEqualTo(PATH);
    assertThat((Object) grpc.path(new MethodInfo("test.Echo", "Say", MethodType.UNARY)))
        .isSameAs(first);
    assertThat(grpc.path(new MethodInfo("test.Echo", "Shout", MethodType.UNARY)).toString())
        .isEqualTo("/test.Echo/Shout");
  }
}
