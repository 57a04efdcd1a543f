package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tri4j.testing.Closer;
import io.tri4j.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * {@link ServerOptions#withExceptionDetails}: what a client hears of a handler's or an
 * interceptor's exception, with the option and without, over real sockets.
 */
@Timeout(30)
class ExceptionDetailsTest {
  @RegisterExtension final Closer closer = new Closer();

  /** Throws from interceptCall for calls whose request header x-fail is set. */
  private static final ServerInterceptor FAILING_INTERCEPTOR =
      new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          if (headers.get("x-fail") != null) {
            throw new UnsupportedOperationException("interceptor says " + headers.get("x-fail"));
          }
          return next.startCall(call, headers);
        }
      };

  private Client client(ServerOptions options) {
    Server server =
        closer.add(
            new Server(
                    options.withInterceptors(FAILING_INTERCEPTOR),
                    new ServiceConfig(new EchoService().handler())
                        .withHost("127.0.0.1")
                        .withPort(0))
                .start());
    return closer.add(
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + EchoService.NAME)));
  }

  /** The status a call fails with, and that the server logged the exception once at WARN. */
  private static Status failure(Runnable call, String loggedMessage) {
    try (LogCapture logs = LogCapture.open()) {
      Status status = catchThrowableOfType(StatusException.class, call::run).getStatus();
      assertThat(logs.events())
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.level()).isEqualTo(Level.WARN);
                assertThat(event.throwable()).hasMessage(loggedMessage);
              });
      return status;
    }
  }

  @Test
  void handlerThrows_withExceptionDetails_clientGetsItsClassAndMessage_notItsStackTrace() {
    Client client = client(ServerOptions.defaults().withExceptionDetails(true));

    Status status =
        failure(
            () -> client.unary("unary", EchoService.SER, EchoService.DES).call("throw:boom"),
            "boom");

    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description())
        .isEqualTo("The server failed to handle the call: java.lang.IllegalStateException: boom");
  }

  @Test
  void streamingHandlerThrows_withExceptionDetails_clientGetsItsClassAndMessage() {
    Client client = client(ServerOptions.defaults().withExceptionDetails(true));

    Status status =
        failure(
            () ->
                client
                    .bidiStream("biStreamIter", EchoService.SER, EchoService.DES)
                    .call(List.of("throw:kaput"))
                    .read(),
            "kaput");

    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description()).endsWith("java.lang.IllegalStateException: kaput");
  }

  @Test
  void interceptorThrows_withExceptionDetails_clientGetsItsClassAndMessage() {
    Client client = client(ServerOptions.defaults().withExceptionDetails(true));
    Metadata headers = new Metadata();
    headers.put("x-fail", "no");

    Status status =
        failure(
            () ->
                client
                    .unary("unary", EchoService.SER, EchoService.DES)
                    .call("hi", CallOptions.DEFAULT.withHeaders(headers)),
            "interceptor says no");

    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description())
        .endsWith("java.lang.UnsupportedOperationException: interceptor says no");
  }

  @Test
  void handlerThrows_byDefault_clientGetsNoDetails() {
    Client client = client(ServerOptions.defaults());

    Status status =
        failure(
            () -> client.unary("unary", EchoService.SER, EchoService.DES).call("throw:secret"),
            "secret");

    assertThat(status.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(status.description())
        .contains("server's log")
        .doesNotContain("secret")
        .doesNotContain("IllegalStateException");
  }

  @Test
  void handlerThrowsStatus_withExceptionDetails_keepsItsOwnDescription() {
    Client client = client(ServerOptions.defaults().withExceptionDetails(true));

    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () ->
                client
                    .unary("unary", EchoService.SER, EchoService.DES)
                    .call("status:NOT_FOUND:no such thing"));

    assertThat(e.getStatus().code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().description()).isEqualTo("no such thing");
  }
}
