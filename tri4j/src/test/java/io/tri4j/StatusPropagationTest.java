package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tri4j.testing.LogCapture;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/** Non-OK statuses reach the client on every call style, and the server keeps serving. */
@Timeout(30)
class StatusPropagationTest {
  @RegisterExtension static final EchoServerExtension echo = new EchoServerExtension();

  private static final String NOT_FOUND = "status:NOT_FOUND:no such thing – ünïcødé ✓";

  @Test
  void unary_handlerThrowsStatus_clientGetsCodeAndMessage() {
    assertStatus(
        () -> echo.unary("unary").call(NOT_FOUND),
        Status.Code.NOT_FOUND,
        "no such thing – ünïcødé ✓");
  }

  @Test
  void unary_handlerThrowsPlainException_clientGetsUnknownWithoutItsText() {
    try (LogCapture logs = LogCapture.open()) {
      assertThatThrownBy(() -> echo.unary("unary").call("throw:boom"))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNKNOWN);
                assertThat(e.getStatus().description())
                    .contains("server's log")
                    .doesNotContain("boom")
                    .doesNotContain("IllegalStateException");
                assertThat(e).hasNoCause();
              });
      // The server's log has it, once.
      assertThat(logs.events())
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.level()).isEqualTo(Level.WARN);
                assertThat(event.throwable()).hasMessage("boom");
              });
    }
  }

  @Test
  void clientStream_handlerThrowsStatus_clientGetsIt() {
    assertStatus(
        () -> echo.clientStream("clientStream").call(List.of("ok", "status:ABORTED:stop")),
        Status.Code.ABORTED,
        "stop");
  }

  @Test
  void clientStream_writeForm_readThrowsStatus() {
    StreamingCall<String, String> call = echo.clientStream("clientStream").call();
    call.write("status:OUT_OF_RANGE:too far");
    call.doneWriting();
    assertStatus(call::read, Status.Code.OUT_OF_RANGE, "too far");
  }

  @Test
  void serverStream_failsMidway_messagesThenStatus() {
    ReadStream<String> replies = echo.serverStream("serverStream").call("status:DATA_LOSS:gone");
    assertThat(replies.read()).isEqualTo("status:DATA_LOSS:gone-0");
    assertThat(replies.read()).isEqualTo("status:DATA_LOSS:gone-1");
    assertStatus(replies::read, Status.Code.DATA_LOSS, "gone");
    assertStatus(replies::read, Status.Code.DATA_LOSS, "gone");
  }

  @Test
  void serverStream_failsBeforeFirstMessage_iteratorThrows() {
    ReadStream<String> replies =
        echo.serverStream("serverStreamIter").call("status:PERMISSION_DENIED:no");
    Iterator<String> it = replies.iterator();
    assertStatus(it::hasNext, Status.Code.PERMISSION_DENIED, "no");
  }

  @Test
  void serverStream_readWithTimeout_throwsStatus() {
    ReadStream<String> replies = echo.serverStream("serverStreamIter").call("status:INTERNAL:bad");
    assertStatus(() -> replies.read(Duration.ofSeconds(5)), Status.Code.INTERNAL, "bad");
  }

  @Test
  void bidiStream_handlerThrows_readsThenStatus_andWritesFail() throws Exception {
    StreamingCall<String, String> call = echo.bidiStream("biStream").call();
    call.write("one");
    assertThat(call.read()).isEqualTo("one");
    call.write("status:FAILED_PRECONDITION:not now");
    assertStatus(call::read, Status.Code.FAILED_PRECONDITION, "not now");
    assertStatus(() -> call.write("more"), Status.Code.FAILED_PRECONDITION, "not now");
  }

  @Test
  void bidiStream_iteratorForm_handlerThrowsPlainException_clientGetsUnknownWithoutItsText() {
    ReadStream<String> replies = echo.bidiStream("biStreamIter").call(List.of("a", "throw:kaput"));
    assertThat(replies.read()).isEqualTo("a");
    assertStatus(replies::read, Status.Code.UNKNOWN, "server's log");
  }

  @Test
  void unknownMethod_isUnimplemented_namingTheMethod() {
    assertThatThrownBy(
            () -> echo.client().unary("nope", EchoService.SER, EchoService.DES).call("x"))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(e.getStatus().description()).contains(EchoService.NAME + "/nope");
            });
  }

  @Test
  void unknownService_isUnimplemented_namingTheService() {
    try (Client other = new Client(echo.reference("tri4j.test.Missing"))) {
      for (ThrowingCallable call :
          List.<ThrowingCallable>of(
              () -> other.unary("unary", EchoService.SER, EchoService.DES).call("x"),
              () -> other.serverStream("s", EchoService.SER, EchoService.DES).call("x").read(),
              () -> other.clientStream("c", EchoService.SER, EchoService.DES).call(List.of("x")),
              () -> other.bidiStream("b", EchoService.SER, EchoService.DES).call().read())) {
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                StatusException.class,
                e -> {
                  assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNIMPLEMENTED);
                  assertThat(e.getStatus().description()).contains("tri4j.test.Missing");
                });
      }
    }
  }

  @Test
  void requestIteratorThrowingStatusException_cancelsTheCall() throws Exception {
    // A proxy's iterator is often another call's ReadStream: its failure must not look like the
    // call's own end and leave the call open.
    java.util.concurrent.CountDownLatch firstReplyRead = new java.util.concurrent.CountDownLatch(1);
    java.util.Iterator<String> failing =
        new java.util.Iterator<>() {
          int n;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public String next() {
            if (n++ == 1) {
              try {
                firstReplyRead.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw Status.UNAVAILABLE.withDescription("upstream is gone").asException();
            }
            return "ok";
          }
        };
    ResponseStream<String> replies = echo.bidiStream("biStream").call(failing);
    assertThat(replies.read()).isEqualTo("ok");
    firstReplyRead.countDown();
    assertStatus(replies::read, Status.Code.CANCELLED, "upstream is gone");

    java.util.Iterator<String> failingAgain =
        java.util.stream.Stream.<java.util.function.Supplier<String>>of(
                () -> "ok",
                () -> {
                  throw Status.UNAVAILABLE.withDescription("upstream is gone").asException();
                })
            .map(java.util.function.Supplier::get)
            .iterator();
    assertThatThrownBy(() -> echo.clientStream("clientStream").call(failingAgain))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().description()).isEqualTo("upstream is gone"));
  }

  @Test
  void afterFailures_serverKeepsServing() {
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> echo.unary("unary").call("throw:again"))
          .isInstanceOf(StatusException.class);
      assertThat(echo.unary("unary").call("still here " + i)).isEqualTo("still here " + i);
    }
  }

  /**
   * {@code call} throws the status of a message that did not parse, its description exactly that
   * (no deserializer's text); returns the exception.
   */
  private static StatusException assertParseFailure(ThrowingCallable call) {
    StatusException e = catchThrowableOfType(StatusException.class, call);
    assertThat(e).as("a StatusException").isNotNull();
    assertThat(e.getStatus().code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().description()).isEqualTo("Failed to parse a received message");
    return e;
  }

  @Test
  void requestThatDoesNotParse_isInternal_andTheParsersTextStaysOnTheServer() {
    assertParseFailure(() -> echo.unary("pickyUnary").call("unparseable"));

    StreamingCall<String, String> call = echo.bidiStream("pickyBiStream").call();
    call.write("fine");
    assertThat(call.read()).isEqualTo("fine");
    call.write("unparseable");
    assertParseFailure(call::read);
    assertThat(echo.unary("pickyUnary").call("fine again")).isEqualTo("fine again");
  }

  @Test
  void responseDeserializerFails_callEndsInternal_andIsCancelled() {
    UnaryCallable<String, String> broken =
        echo.client()
            .unary(
                "unary",
                EchoService.SER,
                bytes -> {
                  throw new IllegalArgumentException("cannot parse");
                });
    assertThat(assertParseFailure(() -> broken.call("x")).getCause()).hasMessage("cannot parse");
    assertThat(echo.unary("unary").call("fine")).isEqualTo("fine");
  }

  @Test
  void requestSerializerFails_writeThrowsInternal() {
    UnaryCallable<String, String> broken =
        echo.client()
            .unary(
                "unary",
                s -> {
                  throw new IllegalArgumentException("cannot write");
                },
                EchoService.DES);
    assertStatus(
        () -> broken.call("x"),
        Status.Code.INTERNAL,
        "Failed to serialize a request: java.lang.IllegalArgumentException: cannot write");
  }

  @Test
  void connectionRefused_isUnavailable() throws Exception {
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    try (Client nowhere =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + freePort + "/" + EchoService.NAME))) {
      assertThatThrownBy(() -> nowhere.unary("unary", EchoService.SER, EchoService.DES).call("x"))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void closedClient_callsFailUnavailable() {
    Client client = echo.newClient();
    UnaryCallable<String, String> unary = client.unary("unary", EchoService.SER, EchoService.DES);
    assertThat(unary.call("before")).isEqualTo("before");
    client.close();
    assertStatus(() -> unary.call("after"), Status.Code.UNAVAILABLE, "The client is closed");
  }
}
