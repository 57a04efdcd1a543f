package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.StatusException;
import org.junit.jupiter.api.Test;

class SingleMessageTest {

  private static void assertInternal(Runnable check, String description) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().description()).isEqualTo(description);
            });
  }

  @Test
  void request_firstIsKept_secondIsInternal_namingTheMethodType() {
    String first = SingleMessage.request(null, "a", MethodType.UNARY);

    assertThat(first).isEqualTo("a");
    assertThat(SingleMessage.onlyRequest(first, MethodType.UNARY)).isEqualTo("a");
    assertInternal(
        () -> SingleMessage.request(first, "b", MethodType.SERVER_STREAMING),
        "More than one request for a SERVER_STREAMING method");
  }

  @Test
  void onlyRequest_noneSent_isInternal() {
    assertInternal(
        () -> SingleMessage.onlyRequest(null, MethodType.UNARY), "No request for a UNARY method");
  }

  @Test
  void response_secondIsInternal_noneIsInternal_andTheEndIsNoSecond() {
    String first = SingleMessage.response(null, "a");

    assertThat(SingleMessage.response(first, null)).isEqualTo("a");
    assertThat(SingleMessage.onlyResponse(first)).isEqualTo("a");
    assertInternal(
        () -> SingleMessage.response(first, "b"),
        "More than one response received for a single-response call");
    assertInternal(
        () -> SingleMessage.onlyResponse(null), "No response received for a single-response call");
  }
}
