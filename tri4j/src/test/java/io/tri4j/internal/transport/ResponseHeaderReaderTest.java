package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.transport.ResponseHeaderReader.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseHeaderReaderTest {
  private final ResponseHeaderReader reader = new ResponseHeaderReader();

  /** Not validated: values as a peer might send them, blanks and all. */
  private static Http2Headers response(String status, String contentType) {
    Http2Headers headers = new DefaultHttp2Headers(false).status(status);
    if (contentType != null) {
      headers.add("content-type", contentType);
    }
    return headers;
  }

  private static Http2Headers grpcStatus(String code) {
    return new DefaultHttp2Headers(false).add("grpc-status", code);
  }

  private Status trailersOnly(Http2Headers headers) {
    assertThat(reader.read(headers, true)).isEqualTo(Kind.TRAILERS);
    return reader.status();
  }

  private Status malformed(Http2Headers headers) {
    assertThat(reader.read(headers, false)).isEqualTo(Kind.MALFORMED);
    return reader.status();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/grpc",
        "application/grpc+proto",
        "application/grpc+json",
        "Application/GRPC",
        "application/grpc; charset=utf-8"
      })
  void read_grpcResponseHeaders_areHeaders(String contentType) {
    assertThat(reader.read(response("200", contentType), false)).isEqualTo(Kind.HEADERS);
    assertThat(reader.decompression()).isNull();
  }

  @Test
  void read_gzipResponse_isDecompressedWithGzip() {
    Http2Headers headers = response("200", "application/grpc").add("grpc-encoding", "gzip");
    assertThat(reader.read(headers, false)).isEqualTo(Kind.HEADERS);
    assertThat(reader.decompression()).isEqualTo(Compression.GZIP);
  }

  @Test
  void read_identityResponse_isNotDecompressed() {
    Http2Headers headers = response("200", "application/grpc").add("grpc-encoding", "identity");
    assertThat(reader.read(headers, false)).isEqualTo(Kind.HEADERS);
    assertThat(reader.decompression()).isNull();
  }

  @Test
  void read_unknownEncoding_isInternal() {
    Status status = malformed(response("200", "application/grpc").add("grpc-encoding", "snappy"));
    assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.description()).startsWith("The server used").contains("snappy");
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/html", "application/json", "application/grpcx"})
  void read_nonGrpcContentType_isUnknown(String contentType) {
    Status status = malformed(response("200", contentType));
    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description())
        .isEqualTo("The response is not gRPC: content-type " + contentType);
  }

  @Test
  void read_missingContentType_isUnknown() {
    assertThat(malformed(response("200", null)).code()).isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void read_non200Headers_failWithTheMappedHttpStatus() {
    Status status = malformed(response("502", "text/html"));
    assertThat(status.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.description()).isEqualTo("HTTP status code 502 with content-type text/html");
  }

  @Test
  void read_malformedHttpStatus_isUnknown() {
    assertThat(malformed(response("2xx", "application/grpc")).code())
        .isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void read_trailersOnly_carriesTheStatusAndMessage() {
    Http2Headers headers =
        response("200", "application/grpc")
            .add("grpc-status", "5")
            .add("grpc-message", "no such user");
    Status status = trailersOnly(headers);
    assertThat(status.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.description()).isEqualTo("no such user");
  }

  @Test
  void read_grpcMessage_isPercentDecoded() {
    Http2Headers headers = grpcStatus("2").add("grpc-message", "%C3%BC 100%25, 50%");
    assertThat(trailersOnly(headers.status("200")).description()).isEqualTo("ü 100%, 50%");
  }

  @Test
  void read_trailersOnlyWithoutGrpcStatus_fallsBackToTheHttpStatus() {
    Status notFound = trailersOnly(response("404", "text/html"));
    assertThat(notFound.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(notFound.description()).isEqualTo("HTTP status code 404");
  }

  @Test
  void read_trailersOnlyWithoutGrpcStatus_on200_isUnknown() {
    Status status = trailersOnly(response("200", "application/grpc"));
    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description()).contains("no grpc-status");
  }

  @Test
  void read_dubboNon200WithValidGrpcStatus_grpcStatusWins() {
    // Dubbo 3.3 answers a failed call with :status 500 and the real status in grpc-status.
    Http2Headers headers = grpcStatus("3").status("500").add("grpc-message", "bad name");
    Status status = trailersOnly(headers);
    assertThat(status.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.description()).isEqualTo("bad name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "-1", "1.0", "9999999999"})
  void read_invalidGrpcStatus_isUnknownNamingIt(String code) {
    Status status = trailersOnly(grpcStatus(code).status("200"));
    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description()).isEqualTo("Invalid grpc-status: " + code);
  }

  @Test
  void read_grpcStatusWithBlanks_isRead() {
    assertThat(trailersOnly(grpcStatus(" 4 ").status("200")).code())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void read_headersThenTrailers_endsWithTheTrailersStatus() {
    assertThat(reader.read(response("200", "application/grpc"), false)).isEqualTo(Kind.HEADERS);
    assertThat(reader.read(grpcStatus("0"), true)).isEqualTo(Kind.TRAILERS);
    assertThat(reader.status().code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void read_trailersWithoutGrpcStatus_afterA200_isUnknown() {
    reader.read(response("200", "application/grpc"), false);
    assertThat(reader.read(new DefaultHttp2Headers(false), true)).isEqualTo(Kind.TRAILERS);
    assertThat(reader.status().code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(reader.status().description()).contains("no grpc-status");
  }

  @Test
  void read_headersTwiceWithoutEndStream_isInternal() {
    reader.read(response("200", "application/grpc"), false);
    Status status = malformed(new DefaultHttp2Headers(false).add("x-late", "1"));
    assertThat(status.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.description()).isEqualTo("Received headers twice without END_STREAM");
  }
}
