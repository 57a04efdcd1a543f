package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-call timeouts, the URL default, and the server's side of the deadline. */
@Timeout(30)
class DeadlineTest {
  @RegisterExtension static final ContextServerExtension ctx = new ContextServerExtension();

  private static CallOptions timeout(long millis) {
    return CallOptions.DEFAULT.withTimeout(Duration.ofMillis(millis));
  }

  @Test
  void unary_timeoutShorterThanHandler_failsDeadlineExceeded_andHandlerSeesCancellation()
      throws Exception {
    try (Client client = ctx.newClient("")) {
      UnaryCallable<String, String> sleep = client.unary("sleep", EchoService.SER, EchoService.DES);
      long start = System.nanoTime();
      assertStatus(
          () -> sleep.call("5000", timeout(200)), Status.Code.DEADLINE_EXCEEDED, "eadline");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(List.of(ctx.service.nextEvent(), ctx.service.nextEvent()))
          .containsExactlyInAnyOrder("sleep:cancelled", "listener:cancelled");
    }
  }

  @Test
  void unary_timeoutLongerThanHandler_succeeds() throws Exception {
    try (Client client = ctx.newClient("")) {
      assertThat(client.unary("sleep", EchoService.SER, EchoService.DES).call("50", timeout(5000)))
          .isEqualTo("slept 50");
      assertThat(ctx.service.nextEvent()).isEqualTo("sleep:completed");
    }
  }

  @Test
  void handler_seesTimeRemaining_onlyWhenTheClientSetsOne() {
    try (Client client = ctx.newClient("")) {
      UnaryCallable<String, String> remaining =
          client.unary("remaining", EchoService.SER, EchoService.DES);
      long left = Long.parseLong(remaining.call("", timeout(5000)));
      assertThat(left).isBetween(1000L, 5000L);
      assertThat(remaining.call("")).isEqualTo("none");
    }
  }

  @Test
  void urlTimeoutParameter_isTheDefault_andCallOptionsOverrideIt() {
    try (Client client = ctx.newClient("?timeout=150")) {
      UnaryCallable<String, String> sleep = client.unary("sleep", EchoService.SER, EchoService.DES);
      assertStatus(() -> sleep.call("3000"), Status.Code.DEADLINE_EXCEEDED, "eadline");
      assertThat(sleep.call("300", timeout(5000))).isEqualTo("slept 300");
    }
  }

  @Test
  void urlTimeout100_isTheDeadlineOfACallThatSetsNone() throws Exception {
    try (Client client = new Client(ctx.reference("?timeout=100"))) {
      // Connect first, with time to spare: on a busy machine the connection alone may take 100 ms,
      // and the call under test must reach the handler.
      client
          .unary("remaining", EchoService.SER, EchoService.DES)
          .call("", CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)));
      UnaryCallable<String, String> sleep = client.unary("sleep", EchoService.SER, EchoService.DES);
      long start = System.nanoTime();
      assertStatus(() -> sleep.call("5000"), Status.Code.DEADLINE_EXCEEDED, "eadline");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(90))
          .isLessThan(Duration.ofSeconds(3));
      // The server was told the deadline too, and stopped the handler.
      assertThat(List.of(ctx.service.nextEvent(), ctx.service.nextEvent()))
          .containsExactlyInAnyOrder("sleep:cancelled", "listener:cancelled");
    }
  }

  @Test
  void misspelledUrlTimeout_failsBeforeAnyCall_ratherThanBeingIgnored() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ReferenceConfig.fromUrl("tri://127.0.0.1:50051/svc?timout=100"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did you mean 'timeout'?");
  }

  @Test
  void referenceWithTimeout_sendsTheDeadlineToTheServer() {
    ReferenceConfig reference = ctx.reference("").withTimeout(Duration.ofSeconds(5));
    try (Client client = new Client(reference)) {
      long left =
          Long.parseLong(client.unary("remaining", EchoService.SER, EchoService.DES).call(""));
      assertThat(left).isBetween(1000L, 5000L);
    }
  }

  @Test
  void bidi_handlerBlockedOnRead_failsFastWithDeadlineExceeded() throws Exception {
    try (Client client = ctx.newClient("")) {
      client.unary("remaining", EchoService.SER, EchoService.DES).call(""); // connected first
      StreamingCall<String, String> call =
          client.bidiStream("blockRead", EchoService.SER, EchoService.DES).call(timeout(300));
      call.write("first");
      assertThat(call.read()).isEqualTo("first");
      // Neither side writes now: the deadline must end the call on both sides.
      assertStatus(call::read, Status.Code.DEADLINE_EXCEEDED, "eadline");
      assertThat(ctx.service.nextEvent()).isEqualTo("read:DEADLINE_EXCEEDED");
      assertThat(ctx.service.nextEvent()).isEqualTo("cancelled:true");
    }
  }

  @Test
  void serverStream_deadlineWhileClientDoesNotRead_handlerWriteFails() throws Exception {
    try (Client client = ctx.newClient("")) {
      ResponseStream<String> ticks =
          client
              .serverStream("blockWrite", EchoService.SER, EchoService.DES)
              .call("go", timeout(300));
      assertThat(ticks.read()).isEqualTo("tick 0");
      // Stop reading: the server fills the window and blocks in write until the deadline.
      assertThat(ctx.service.nextEvent()).isEqualTo("write:DEADLINE_EXCEEDED");
      assertStatus(
          () -> {
            while (ticks.read() != null) {
              // drain
            }
          },
          Status.Code.DEADLINE_EXCEEDED,
          "eadline");
    }
  }

  @Test
  void clientStreamAndBidi_iteratorForms_honourTheTimeout() throws Exception {
    try (Client client = ctx.newClient("")) {
      // The request iterator blocks forever: only the deadline can end these calls.
      java.util.Iterator<String> stalled =
          new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return false;
            }

            @Override
            public String next() {
              throw new java.util.NoSuchElementException();
            }
          };
      ResponseStream<String> replies =
          client
              .bidiStream("blockRead", EchoService.SER, EchoService.DES)
              .call(stalled, timeout(200));
      assertStatus(replies::read, Status.Code.DEADLINE_EXCEEDED, "eadline");
      // The server's handler, blocked in read(), is freed by the deadline too.
      assertThat(ctx.service.nextEvent()).isEqualTo("read:DEADLINE_EXCEEDED");
      assertThat(ctx.service.nextEvent()).isEqualTo("cancelled:true");
    }
  }

  /** Defers every call on a stage that never completes: only the deadline can end it. */
  static final ClientInterceptor NEVER_READY =
      new ClientInterceptor() {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(
            MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
          return ClientCall.deferred(new java.util.concurrent.CompletableFuture<>());
        }
      };

  @Test
  void deferredCall_whoseStageNeverCompletes_endsDeadlineExceededAtTheDeadline() {
    try (Client client = ctx.newClient("")) {
      UnaryCallable<String, String> sleep = client.unary("sleep", EchoService.SER, EchoService.DES);
      assertStatus(
          () -> sleep.call("1", timeout(200).withInterceptors(NEVER_READY)),
          Status.Code.DEADLINE_EXCEEDED,
          "eadline");
    }
  }

  @Test
  void zeroTimeout_failsAtOnce() {
    try (Client client = ctx.newClient("")) {
      assertStatus(
          () -> client.unary("sleep", EchoService.SER, EchoService.DES).call("1", timeout(0)),
          Status.Code.DEADLINE_EXCEEDED,
          "before the call started");
    }
  }

  @Test
  void invalidUrlTimeout_isRejectedWithReason() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.newClient("?timeout=soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
  }
}
