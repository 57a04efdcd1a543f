package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusTest {
  @Test
  void codes_haveGrpcWireNumbers() {
    assertThat(Status.Code.values()).hasSize(17);
    for (Status.Code code : Status.Code.values()) {
      assertThat(Status.fromCodeValue(code.value()).code()).isEqualTo(code);
    }
    assertThat(Status.Code.UNAUTHENTICATED.value()).isEqualTo(16);
    assertThat(Status.fromCodeValue(99).code()).isEqualTo(Status.Code.UNKNOWN);
  }

  @Test
  void withDescriptionAndCause_returnCopies() {
    IllegalStateException cause = new IllegalStateException("x");
    Status status = Status.NOT_FOUND.withDescription("gone").withCause(cause);
    assertThat(Status.NOT_FOUND.description()).isNull();
    assertThat(status.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.description()).isEqualTo("gone");
    assertThat(status.cause()).isSameAs(cause);
    assertThat(status).hasToString("NOT_FOUND: gone");
  }

  @Test
  void asException_carriesStatus() {
    StatusException e = Status.ABORTED.withDescription("stop").asException();
    assertThat(e.getStatus().code()).isEqualTo(Status.Code.ABORTED);
    assertThat(e).hasMessage("ABORTED: stop");
  }

  @Test
  void fromThrowable_findsWrappedStatusException_elseUnknownWithMessage() {
    RuntimeException wrapped = new RuntimeException(Status.UNAVAILABLE.asException());
    assertThat(Status.fromThrowable(wrapped).code()).isEqualTo(Status.Code.UNAVAILABLE);
    Status unknown = Status.fromThrowable(new IllegalArgumentException("bad arg"));
    assertThat(unknown.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(unknown.description()).isEqualTo("bad arg");
  }
}
