package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A server whose executor (the application's own) refuses work: because it is full, or shut down.
 * New calls end with a status that says which, at once; callbacks of calls already running still
 * run, in order, and never on a network thread.
 */
@Timeout(30)
class RefusingExecutorTest {
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  private volatile boolean full;

  private final ThreadPoolExecutor pool =
      (ThreadPoolExecutor)
          Executors.newFixedThreadPool(2, r -> new Thread(r, "application-handler"));

  /** The pool, refusing every task while {@code full} is set, as a bounded pool does when full. */
  private final Executor bounded =
      task -> {
        if (full) {
          throw new RejectedExecutionException("full");
        }
        pool.execute(task);
      };

  private Server server;
  private Client client;

  private RpcServiceHandler service() {
    Deserializer<String> des = EchoService.DES;
    Serializer<String> ser = EchoService.SER;
    return new RpcServiceHandler(
        "refusing.Test",
        Map.of(
            "blocking",
            RpcMethodHandler.<String, String>unary(request -> "blocking " + request, des, ser),
            "async",
            RpcMethodHandler.<String, String>unaryAsync(
                (request, responses) -> {
                  responses.onNext("async " + request);
                  responses.onCompleted();
                },
                des,
                ser),
            "echo",
            RpcMethodHandler.<String, String>biStreamAsync(
                responses -> {
                  responses.setOnCancelHandler(
                      () -> events.add("cancel handler on " + Thread.currentThread().getName()));
                  return new StreamObserver<>() {
                    @Override
                    public void onNext(String value) {
                      responses.onNext(value);
                    }

                    @Override
                    public void onError(Throwable error) {
                      events.add("requests failed on " + Thread.currentThread().getName());
                    }

                    @Override
                    public void onCompleted() {
                      responses.onCompleted();
                    }
                  };
                },
                des,
                ser)));
  }

  private void start(Executor executor, boolean intercepted) {
    ServiceConfig config = new ServiceConfig(service()).withHost("127.0.0.1").withPort(0);
    if (intercepted) {
      config =
          config.withInterceptors(
              new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                  return next.startCall(call, headers);
                }
              });
    }
    server = new Server(ServerOptions.defaults().withExecutor(executor), config).start();
    client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/refusing.Test"));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    pool.shutdownNow();
  }

  @ParameterizedTest(name = "{0}, intercepted: {1}")
  @CsvSource({"blocking, false", "async, false", "blocking, true", "async, true"})
  void fullExecutor_refusesNewCallsAtOnce_andServesThemOnceFree(
      String method, boolean intercepted) {
    start(bounded, intercepted);
    UnaryCallable<String, String> call = client.unary(method, EchoService.SER, EchoService.DES);
    assertThat(call.call("x")).isEqualTo(method + " x");

    full = true;
    assertStatus(
        () -> call.call("y"),
        Status.Code.RESOURCE_EXHAUSTED,
        "The server is too busy: its executor refused the call");

    full = false;
    assertThat(call.call("z")).isEqualTo(method + " z");
  }

  @ParameterizedTest(name = "{0}, intercepted: {1}")
  @CsvSource({"blocking, false", "async, false", "async, true"})
  void executorShutDown_newCallsAreUnavailable(String method, boolean intercepted) {
    start(pool, intercepted);
    UnaryCallable<String, String> call = client.unary(method, EchoService.SER, EchoService.DES);
    assertThat(call.call("x")).isEqualTo(method + " x");

    pool.shutdown();

    assertStatus(() -> call.call("y"), Status.Code.UNAVAILABLE, "The server is shutting down");
  }

  @Test
  void executorShutDownDuringACall_theHandlerStillHearsOfItsEnd_offTheNetworkThreads()
      throws Exception {
    start(pool, false);
    StreamingCall<String, String> call =
        client.bidiStream("echo", EchoService.SER, EchoService.DES).call();
    call.write("a");
    assertThat(call.read()).isEqualTo("a");
    // The handler's task that answered may still be finishing on the pool; a cancel arriving then
    // runs after it on the same thread instead of being refused. Shut the pool down once idle.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.getActiveCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(pool.getActiveCount()).isZero();
    pool.shutdown();

    call.cancel("bye");

    assertThat(events.poll(10, TimeUnit.SECONDS))
        .startsWith("cancel handler on tri4j-refused-callbacks-");
    assertThat(events.poll(10, TimeUnit.SECONDS))
        .startsWith("requests failed on tri4j-refused-callbacks-");
  }
}
