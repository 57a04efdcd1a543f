package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the {@link StatusException} a call throws. */
public final class StatusAssertions {
  private StatusAssertions() {}

  /** {@code call} throws a StatusException with {@code code} and a description containing text. */
  public static void assertStatus(ThrowingCallable call, Status.Code code, String description) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(code);
              assertThat(e.getStatus().description()).contains(description);
            });
  }

  /**
   * {@code future} fails within 10 s with a StatusException with {@code code} and a description
   * containing text.
   */
  public static void assertFailsWithStatus(
      CompletableFuture<?> future, Status.Code code, String description) {
    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(code);
              assertThat(e.getStatus().description()).contains(description);
            });
  }
}
