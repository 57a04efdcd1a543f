package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that cancels, closes or disconnects: the server handler learns of it at once. */
@Timeout(30)
class CancellationTest {
  @RegisterExtension static final ContextServerExtension ctx = new ContextServerExtension();

  @Test
  void cancel_bidi_handlerBlockedOnReadGetsCancelled() throws Exception {
    try (Client client = ctx.newClient("")) {
      StreamingCall<String, String> call =
          client.bidiStream("blockRead", EchoService.SER, EchoService.DES).call();
      call.write("hello");
      assertThat(call.read()).isEqualTo("hello");
      call.cancel("user pressed stop");
      assertStatus(call::read, Status.Code.CANCELLED, "user pressed stop");
      assertStatus(() -> call.write("more"), Status.Code.CANCELLED, "user pressed stop");
      assertThat(ctx.service.nextEvent()).isEqualTo("read:CANCELLED");
      assertThat(ctx.service.nextEvent()).isEqualTo("cancelled:true");
    }
  }

  @Test
  void aHandlerThatEndedItsCall_readsTheEndOfTheStream_whileTheClientStillSends() throws Exception {
    try (Client client = ctx.newClient("")) {
      StreamingCall<String, String> call =
          client.bidiStream("endThenRead", EchoService.SER, EchoService.DES).call();
      call.write("hello");
      assertThat(call.read()).isEqualTo("hello");
      assertThat(call.read()).as("the server ended the call").isNull();

      // The client has not half-closed: only the call's end can answer the handler's read.
      assertThat(ctx.service.nextEvent()).isEqualTo("after-end:end");
    }
  }

  @Test
  void closeReadStream_serverStream_handlerWriteFailsCancelled() throws Exception {
    try (Client client = ctx.newClient("")) {
      ResponseStream<String> ticks =
          client.serverStream("blockWrite", EchoService.SER, EchoService.DES).call("go");
      assertThat(ticks.read()).isEqualTo("tick 0");
      ticks.close();
      assertThat(ctx.service.nextEvent()).isEqualTo("write:CANCELLED");
    }
  }

  @Test
  void cancel_unaryInFlight_handlerSeesItAndListenerRuns() throws Exception {
    try (Client client = ctx.newClient("")) {
      StreamingCall<String, String> call =
          client.clientStream("sleep", EchoService.SER, EchoService.DES).call();
      // "sleep" is unary on the server; a client-streaming stub can still send one request.
      call.write("10000");
      call.doneWriting();
      Thread.sleep(200); // let the handler start
      call.cancel("no longer needed");
      assertThat(List.of(ctx.service.nextEvent(), ctx.service.nextEvent()))
          .containsExactlyInAnyOrder("sleep:cancelled", "listener:cancelled");
    }
  }

  @Test
  void cancellingAUnaryCallsFuture_cancelsTheCallOnTheServer() throws Exception {
    cancelsTheHandler(future -> assertThat(future.cancel(false)).isTrue());
  }

  @Test
  void completingAUnaryCallsFutureAsCancelled_cancelsTheCallOnTheServer() throws Exception {
    cancelsTheHandler(
        future -> assertThat(future.completeExceptionally(new CancellationException())).isTrue());
  }

  @Test
  void obtrudingACancellationOnAUnaryCallsFuture_cancelsTheCallOnTheServer() throws Exception {
    cancelsTheHandler(
        future -> {
          future.obtrudeException(new CancellationException());
          assertThat(future.cancel(true)).as("a later cancel finds it cancelled").isTrue();
        });
  }

  /** {@code cancel} ends a running unary call's future: the server's handler must hear of it. */
  private static void cancelsTheHandler(Consumer<CompletableFuture<String>> cancel)
      throws Exception {
    try (Client client = ctx.newClient("")) {
      CompletableFuture<String> future =
          client
              .unary("sleep", EchoService.SER, EchoService.DES)
              .callAsync("10000", CallOptions.DEFAULT);
      Thread.sleep(200); // let the handler start
      cancel.accept(future);
      assertThat(future.isCancelled()).isTrue();
      assertThat(List.of(ctx.service.nextEvent(), ctx.service.nextEvent()))
          .containsExactlyInAnyOrder("sleep:cancelled", "listener:cancelled");
    }
  }

  @Test
  void clientDisconnects_handlerGetsCancelled() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ctx.isTcp(), "a network to take away");
    TcpRelay relay = new TcpRelay(ctx.port());
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:" + relay.port() + "/" + ContextService.NAME))) {
      StreamingCall<String, String> call =
          client.bidiStream("blockRead", EchoService.SER, EchoService.DES).call();
      call.write("hello");
      assertThat(call.read()).isEqualTo("hello");
      relay.close(); // the network goes away under the open call
      assertThat(ctx.service.nextEvent()).isEqualTo("read:CANCELLED");
      // Taken here, so that it cannot arrive after the next test has cleared the events.
      assertThat(ctx.service.nextEvent()).isEqualTo("cancelled:true");
      assertStatus(call::read, Status.Code.UNAVAILABLE, "");
    } finally {
      relay.close();
    }
  }

  @Test
  void cancel_afterTheCallEnded_isHarmless() {
    try (Client client = ctx.newClient("")) {
      StreamingCall<String, String> call =
          client.bidiStream("blockRead", EchoService.SER, EchoService.DES).call();
      call.write("x");
      call.doneWriting();
      assertThat(call.read()).isEqualTo("x");
      assertThat(call.read()).isNull();
      call.cancel("too late");
      assertThat(call.read()).isNull();
    }
  }
}
