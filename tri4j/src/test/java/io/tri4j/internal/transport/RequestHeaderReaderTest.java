package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Status;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.FakeClock;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.codec.Compression;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeaderReaderTest {
  private static final SocketAddress CLIENT = InetSocketAddress.createUnresolved("client", 4242);

  /** Not validated: values as a peer might send them, blanks and all. */
  private static Http2Headers request(String contentType) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .method("POST")
            .scheme("http")
            .path("/pkg.Greeter/SayHello")
            .authority("server:50051");
    if (contentType != null) {
      headers.add("content-type", contentType);
    }
    return headers.add("te", "trailers");
  }

  private static AcceptedRequest accepted(Http2Headers headers) {
    return accepted(headers, Deadline.NO_TIMEOUT);
  }

  private static AcceptedRequest accepted(Http2Headers headers, long maxDeadlineNanos) {
    RequestHeaderReader.Result result =
        RequestHeaderReader.read(
            headers, CLIENT, null, new FakeClock(), maxDeadlineNanos, new RepeatedStrings());
    assertThat(result).isInstanceOf(AcceptedRequest.class);
    return (AcceptedRequest) result;
  }

  private static RequestRejection rejected(Http2Headers headers) {
    RequestHeaderReader.Result result =
        RequestHeaderReader.read(
            headers, CLIENT, null, new FakeClock(), Deadline.NO_TIMEOUT, new RepeatedStrings());
    assertThat(result).isInstanceOf(RequestRejection.class);
    return (RequestRejection) result;
  }

  private static long timeoutNanos(String grpcTimeout) {
    return accepted(request("application/grpc").add("grpc-timeout", grpcTimeout))
        .call()
        .deadline()
        .remainingNanos();
  }

  @Test
  void read_grpcRequest_yieldsTheCall() {
    Http2Headers headers =
        request("application/grpc")
            .add("grpc-accept-encoding", "gzip")
            .add("x-user", "ann")
            .add("tri-service-version", "1.0.0")
            .add("tri-service-group", "blue");
    IncomingCall call = accepted(headers).call();
    assertThat(call.path()).isEqualTo("/pkg.Greeter/SayHello");
    assertThat(call.authority()).isEqualTo("server:50051");
    assertThat(call.remoteAddress()).isSameAs(CLIENT);
    assertThat(call.acceptEncoding()).isEqualTo("gzip");
    assertThat(call.deadline()).isNull();
    assertThat(call.json()).isFalse();
    assertThat(call.version()).isEqualTo("1.0.0");
    assertThat(call.group()).isEqualTo("blue");
    assertThat(call.headers().get("x-user")).isEqualTo("ann");
    // The protocol's own headers are not metadata a handler reads.
    assertThat(call.headers().keys()).containsExactly("x-user");
  }

  @Test
  void read_noVersionOrGroup_leavesThemNull() {
    IncomingCall call = accepted(request("application/grpc").add("tri-service-version", "")).call();
    assertThat(call.version()).isNull();
    assertThat(call.group()).isNull();
  }

  @Test
  void read_missingPath_isLeftToTheDispatcher() {
    Http2Headers headers = request("application/grpc");
    headers.remove(":path");
    assertThat(accepted(headers).call().path()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "post"})
  void read_notPost_is405WithATextBody(String method) {
    RequestRejection rejection = rejected(request("application/grpc").method(method));
    assertThat(rejection.headers().status().toString()).isEqualTo("405");
    assertThat(rejection.headers().get("content-type").toString()).startsWith("text/plain");
    assertThat(rejection.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(rejection.status().description()).contains(method).contains("POST");
    assertThat(rejection.headers().get("grpc-status").toString()).isEqualTo("13");
    assertThat(new String(rejection.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(rejection.status().description() + "\n");
  }

  @Test
  void read_notPostAndNotGrpc_hearsOfTheMethodFirst() {
    RequestRejection rejection = rejected(request("text/html").method("GET"));
    assertThat(rejection.headers().status().toString()).isEqualTo("405");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/grpc",
        "application/grpc+proto",
        "application/grpc+data",
        "Application/GRPC+Proto",
        "application/grpc; charset=utf-8",
        " application/grpc+proto ;x=y"
      })
  void read_grpcContentTypes_areServedAsBytes(String contentType) {
    assertThat(accepted(request(contentType)).call().json()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/grpc+json", "APPLICATION/GRPC+JSON; charset=utf-8"})
  void read_grpcJson_isServedAsJson(String contentType) {
    assertThat(accepted(request(contentType)).call().json()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"application/jsonx", "application/grpcx", "application/grpc+thrift", "text/html"})
  void read_otherContentType_is415NamingIt(String contentType) {
    RequestRejection rejection = rejected(request(contentType));
    assertThat(rejection.headers().status().toString()).isEqualTo("415");
    assertThat(rejection.headers().get("content-type").toString()).startsWith("text/plain");
    assertThat(rejection.status().description())
        .contains("'" + contentType + "' is not supported")
        .contains("application/grpc+json");
    assertThat(rejection.body()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/grpc-web+json", "application/grpc-web-text+json"})
  void read_grpcWebJson_isServedAsJsonInGrpcWebForm(String contentType) {
    AcceptedRequest accepted = accepted(request(contentType));
    assertThat(accepted.call().json()).isTrue();
    assertThat(accepted.web().json).isTrue();
    assertThat(accepted.web().contentType.toString()).isEqualTo(contentType);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "Application/JSON; charset=utf-8"})
  void read_applicationJson_isTripleJson(String contentType) {
    AcceptedRequest accepted = accepted(request(contentType));
    assertThat(accepted.tripleJson()).isTrue();
    assertThat(accepted.call().json()).isTrue();
    assertThat(accepted.web()).isNull();
  }

  @Test
  void read_applicationJsonWithConnectProtocolVersion_isConnectNotTripleJson() {
    AcceptedRequest accepted =
        accepted(request("application/json").add("connect-protocol-version", "1"));
    assertThat(accepted.tripleJson()).isFalse();
    assertThat(accepted.connect()).isEqualTo(Connect.JSON);
  }

  @Test
  void read_missingContentType_is415SayingSo() {
    RequestRejection rejection = rejected(request(null));
    assertThat(rejection.headers().status().toString()).isEqualTo("415");
    assertThat(rejection.status().description()).startsWith("Content-Type is missing");
  }

  @Test
  void read_grpcTimeout_inEveryUnit_setsTheDeadline() {
    // On a clock that does not move, the deadline left is exactly the timeout sent.
    assertThat(timeoutNanos("2H")).isEqualTo(TimeUnit.HOURS.toNanos(2));
    assertThat(timeoutNanos("90M")).isEqualTo(TimeUnit.MINUTES.toNanos(90));
    assertThat(timeoutNanos("5000S")).isEqualTo(TimeUnit.SECONDS.toNanos(5000));
    assertThat(timeoutNanos("5000000m")).isEqualTo(TimeUnit.SECONDS.toNanos(5000));
    assertThat(timeoutNanos("99999999u")).isEqualTo(TimeUnit.MICROSECONDS.toNanos(99_999_999));
    assertThat(timeoutNanos("99999999n")).isEqualTo(99_999_999);
  }

  @Test
  void read_grpcTimeoutPastTheNanosecondRange_isAsFarAsItGoes() {
    // 99999999 hours do not fit a long of nanoseconds: the deadline saturates, not wraps.
    assertThat(timeoutNanos("99999999H")).isGreaterThan(TimeUnit.DAYS.toNanos(100 * 365));
  }

  @Test
  void read_maxDeadline_capsALongerTimeout_keepsAShorterOne_andGivesOneWhereNoneWasSent() {
    long cap = TimeUnit.SECONDS.toNanos(30);
    assertThat(
            accepted(request("application/grpc").add("grpc-timeout", "1H"), cap).call().deadline())
        .extracting(Deadline::remainingNanos)
        .isEqualTo(cap);
    assertThat(
            accepted(request("application/grpc").add("grpc-timeout", "5S"), cap).call().deadline())
        .extracting(Deadline::remainingNanos)
        .isEqualTo(TimeUnit.SECONDS.toNanos(5));
    assertThat(accepted(request("application/grpc"), cap).call().deadline())
        .extracting(Deadline::remainingNanos)
        .isEqualTo(cap);
    assertThat(accepted(request("application/grpc-web+proto"), cap).call().deadline())
        .extracting(Deadline::remainingNanos)
        .isEqualTo(cap);
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "1", "1x", "-1S", "1.5S", "123456789S", ""})
  void read_badGrpcTimeout_isTrailersOnlyInternal(String timeout) {
    RequestRejection rejection = rejected(request("application/grpc").add("grpc-timeout", timeout));
    assertThat(rejection.body()).isNull();
    assertThat(rejection.headers().status().toString()).isEqualTo("200");
    assertThat(rejection.headers().get("content-type").toString()).isEqualTo("application/grpc");
    assertThat(rejection.status().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(rejection.status().description()).contains("grpc-timeout").contains(timeout);
    assertThat(rejection.headers().get("grpc-status").toString()).isEqualTo("13");
  }

  @Test
  void read_noGrpcEncoding_isUncompressed() {
    assertThat(accepted(request("application/grpc")).compression()).isNull();
  }

  @Test
  void read_identityEncoding_isUncompressed() {
    assertThat(accepted(request("application/grpc").add("grpc-encoding", "identity")).compression())
        .isNull();
  }

  @Test
  void read_gzipEncoding_isGzip() {
    assertThat(accepted(request("application/grpc").add("grpc-encoding", "gzip")).compression())
        .isEqualTo(Compression.GZIP);
  }

  @Test
  void read_unknownEncoding_isTrailersOnlyUnimplemented_listingTheKnownOnes() {
    RequestRejection rejection =
        rejected(request("application/grpc").add("grpc-encoding", "snappy"));
    assertThat(rejection.body()).isNull();
    assertThat(rejection.headers().status().toString()).isEqualTo("200");
    assertThat(rejection.status().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(rejection.status().description()).contains("snappy").contains("gzip");
    assertThat(rejection.headers().get("grpc-accept-encoding").toString()).contains("gzip");
  }

  @Test
  void read_badTimeoutAndUnknownEncoding_hearsOfTheTimeoutFirst() {
    RequestRejection rejection =
        rejected(
            request("application/grpc").add("grpc-timeout", "soon").add("grpc-encoding", "snappy"));
    assertThat(rejection.status().code()).isEqualTo(Status.Code.INTERNAL);
  }
}
