package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Status;
import org.junit.jupiter.api.Test;

class ServerFailuresTest {

  @Test
  void withExceptionDetails_handlerFailure_namesTheExceptionsClassAndMessage() {
    Status failed =
        Status.UNKNOWN
            .withDescription(ServerFailures.HANDLER_FAILED)
            .withCause(new IllegalArgumentException("bad id"));

    Status detailed = ServerFailures.withExceptionDetails(failed);

    assertThat(detailed.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(detailed.description())
        .isEqualTo(
            "The server failed to handle the call: java.lang.IllegalArgumentException: bad id");
  }

  @Test
  void withExceptionDetails_noMessage_namesTheClass_andALongMessageIsCut() {
    Status serializer =
        Status.INTERNAL
            .withDescription(ServerFailures.RESPONSE_NOT_SERIALIZED)
            .withCause(new NullPointerException());
    assertThat(ServerFailures.withExceptionDetails(serializer).description())
        .isEqualTo("The server failed to serialize a response: java.lang.NullPointerException");

    Status longMessage =
        Status.UNKNOWN
            .withDescription(ServerFailures.HANDLER_FAILED)
            .withCause(new IllegalStateException("x".repeat(5000)));
    assertThat(ServerFailures.withExceptionDetails(longMessage).description())
        .hasSize(
            "The server failed to handle the call: ".length()
                + ServerFailures.MAX_DETAIL_LENGTH
                + "...".length())
        .endsWith("x...");
  }

  @Test
  void withExceptionDetails_statusChosenByServerCode_isLeftAlone() {
    Status chosen =
        Status.NOT_FOUND.withDescription("no such user").withCause(new RuntimeException("inner"));
    assertThat(ServerFailures.withExceptionDetails(chosen)).isSameAs(chosen);
    Status noCause = Status.UNKNOWN.withDescription(ServerFailures.HANDLER_FAILED);
    assertThat(ServerFailures.withExceptionDetails(noCause)).isSameAs(noCause);
  }
}
