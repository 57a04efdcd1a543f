package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request headers, response headers and trailers, both ways, over a real connection. */
@Timeout(30)
class MetadataPropagationTest {
  @RegisterExtension static final ContextServerExtension ctx = new ContextServerExtension();

  private static final byte[] BINARY = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

  private static CallOptions headers() {
    return CallOptions.DEFAULT.withHeaders(
        new Metadata()
            .put("x-value", "sent by the client")
            .put("x-initial", "echo me")
            .putBinary("x-trailing-bin", BINARY));
  }

  @Test
  void unary_requestHeadersReachHandler_responseHeadersAndTrailersReachClient() {
    try (Client client = ctx.newClient("")) {
      Response<String> response =
          client
              .unary("metadata", EchoService.SER, EchoService.DES)
              .callForResponse("hi", headers());
      assertThat(response.message()).isEqualTo("sent by the client");
      assertThat(response.headers().get("x-initial")).isEqualTo("echo me");
      assertThat(response.trailers().getBinary("x-trailing-bin")).isEqualTo(BINARY);
    }
  }

  @Test
  void unary_failure_trailersTravelWithTheStatus() {
    try (Client client = ctx.newClient("")) {
      assertThatThrownBy(
              () ->
                  client
                      .unary("metadata", EchoService.SER, EchoService.DES)
                      .call("fail", headers()))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.ABORTED);
                assertThat(e.getTrailers().get("x-error-detail")).isEqualTo("detail");
                assertThat(e.getTrailers().getBinary("x-trailing-bin")).isEqualTo(BINARY);
              });
    }
  }

  @Test
  void serverStream_headersBeforeMessages_trailersAtTheEnd() {
    try (Client client = ctx.newClient("")) {
      ResponseStream<String> replies =
          client.serverStream("metadataStream", EchoService.SER, EchoService.DES).call("x");
      assertThat(replies.headers().get("x-initial")).isEqualTo("stream-headers");
      assertThat(replies.read()).isEqualTo("one");
      assertThat(replies.read()).isEqualTo("two");
      assertThat(replies.read()).isNull();
      assertThat(replies.trailers().get("x-final")).isEqualTo("stream-trailers");
    }
  }

  @Test
  void trailers_returnBeforeEveryMessageIsRead() {
    try (Client client = ctx.newClient("")) {
      ResponseStream<String> ticks =
          client.serverStream("blockWrite", EchoService.SER, EchoService.DES).call("go");
      assertThat(ticks.read()).isEqualTo("tick 0");
      ticks.cancel("enough");
      assertThat(ticks.trailers().isEmpty()).isTrue(); // returns at once for a cancelled call
    }
    try (Client client = ctx.newClient("")) {
      ResponseStream<String> replies =
          client.serverStream("metadataStream", EchoService.SER, EchoService.DES).call("x");
      // Nothing read yet, but the call has ended: its trailers are there.
      assertThat(replies.trailers().get("x-final")).isEqualTo("stream-trailers");
      assertThat(replies.read()).isEqualTo("one");
    }
  }

  @Test
  void headersOfAResponseThatIsOnlyAStatus_areEmpty() {
    try (Client client = ctx.newClient("")) {
      ResponseStream<String> replies =
          client.serverStream("nope", EchoService.SER, EchoService.DES).call("x");
      assertThat(replies.headers().isEmpty()).isTrue();
      assertThat(replies.trailers().isEmpty()).isTrue();
    }
  }

  @Test
  void dubboParameters_areSentAsTriHeaders_notAsUserMetadata() {
    try (Client client = ctx.newClient("?version=1.0.0&group=g&application=app")) {
      // tri-* headers are reserved: they steer routing, and are not part of the handler's
      // request metadata.
      Response<String> response =
          client
              .unary("metadata", EchoService.SER, EchoService.DES)
              .callForResponse("hi", CallOptions.DEFAULT);
      assertThat(response.message()).isEqualTo("null");
    }
  }
}
