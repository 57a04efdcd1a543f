package io.tri4j;

import static io.tri4j.StatusAssertions.assertFailsWithStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The async client API over a real connection: futures, observers, flow control, cancellation. */
@Timeout(30)
class AsyncCallTest {
  @RegisterExtension static final EchoServerExtension echo = new EchoServerExtension();

  /** Records what an observer receives, and on which threads. */
  static final class Recorder<T> implements StreamObserver<T> {
    final List<T> values = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      threads.add(Thread.currentThread().getName());
      values.add(value);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }

    void await() throws Exception {
      done.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void unary_futureCompletesWithTheResponse() throws Exception {
    assertThat(echo.unary("unary").callAsync("async").get(10, TimeUnit.SECONDS)).isEqualTo("async");
  }

  @Test
  void unary_failure_completesExceptionallyWithTheStatus() {
    assertFailsWithStatus(
        echo.unary("unary").callAsync("status:NOT_FOUND:gone"), Status.Code.NOT_FOUND, "gone");
  }

  @Test
  void unary_manyConcurrent_allComplete() throws Exception {
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      futures.add(echo.unary("unary").callAsync("m" + i));
    }
    for (int i = 0; i < futures.size(); i++) {
      assertThat(futures.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("m" + i);
    }
  }

  @Test
  void serverStream_observerGetsEveryMessage_offTheNetworkThread() throws Exception {
    Recorder<String> replies = new Recorder<>();
    echo.serverStream("serverStream").callAsync("s", replies);
    replies.await();
    assertThat(replies.values).containsExactly("s-0", "s-1", "s-2");
    assertThat(replies.threads).noneMatch(name -> name.contains("netty"));
  }

  @Test
  void serverStream_failure_reachesOnErrorAfterTheMessages() {
    Recorder<String> replies = new Recorder<>();
    echo.serverStream("serverStream").callAsync("status:ABORTED:stop", replies);
    assertThatThrownBy(replies::await)
        .cause()
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.ABORTED));
    assertThat(replies.values).containsExactly("status:ABORTED:stop-0", "status:ABORTED:stop-1");
  }

  /** Parses like {@link EchoService#DES}, but fails on messages ending with {@code suffix}. */
  private static Deserializer<String> failingOn(String suffix) {
    return bytes -> {
      String s = EchoService.DES.deserialize(bytes);
      if (s.endsWith(suffix)) {
        throw new IllegalArgumentException("cannot parse " + s);
      }
      return s;
    };
  }

  @Test
  void serverStream_lastMessageFailsToParse_isAnError_notACompletion() {
    // The last message and the OK trailers usually arrive together: the call has ended with OK
    // by the time the message fails to parse, and the observer must still hear the failure.
    Recorder<String> replies = new Recorder<>();
    echo.client()
        .serverStream("serverStream", EchoService.SER, failingOn("-2"))
        .callAsync("p", replies);
    assertThatThrownBy(replies::await)
        .cause()
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().description())
                  .isEqualTo("Failed to parse a received message");
              assertThat(e.getCause()).hasMessage("cannot parse p-2");
            });
    assertThat(replies.values).containsExactly("p-0", "p-1");
  }

  @Test
  void unary_responseFailsToParse_failsTheFutureWithTheParseError() {
    CompletableFuture<String> reply =
        echo.client().unary("unary", EchoService.SER, failingOn("x")).callAsync("x");
    assertFailsWithStatus(reply, Status.Code.INTERNAL, "Failed to parse a received message");
    assertThatThrownBy(reply::join).cause().cause().hasMessage("cannot parse x");
  }

  @Test
  void clientStream_requestObserver_oneResponse() throws Exception {
    Recorder<String> response = new Recorder<>();
    RequestObserver<String> requests = echo.clientStream("clientStream").callAsync(response);
    requests.onNext("x");
    requests.onNext("y");
    requests.onCompleted();
    response.await();
    assertThat(response.values).containsExactly("x,y");
    assertThatThrownBy(() -> requests.onNext("late")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void bidi_followsIsReadyAndOnReady_toSendALotWithoutBuffering() throws Exception {
    int count = 2_000;
    String payload = "p".repeat(4_096);
    Recorder<String> replies = new Recorder<>();
    RequestObserver<String> requests = echo.bidiStream("biStream").callAsync(replies);
    int[] sent = {0};
    Runnable pump =
        () -> {
          synchronized (sent) {
            while (sent[0] < count && requests.isReady()) {
              requests.onNext(sent[0]++ + ":" + payload);
            }
            if (sent[0] == count) {
              sent[0]++;
              requests.onCompleted();
            }
          }
        };
    requests.setOnReadyHandler(pump);
    pump.run();
    replies.await();
    assertThat(replies.values).hasSize(count);
    assertThat(replies.values.get(count - 1)).startsWith((count - 1) + ":");
  }

  @Test
  void cancel_endsTheCallWithCancelled() throws Exception {
    Recorder<String> replies = new Recorder<>();
    RequestObserver<String> requests = echo.bidiStream("biStream").callAsync(replies);
    requests.onNext("one");
    CountDownLatch first = new CountDownLatch(1);
    while (replies.values.isEmpty()) {
      first.await(10, TimeUnit.MILLISECONDS);
    }
    requests.cancel("not needed");
    assertThatThrownBy(replies::await)
        .cause()
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.CANCELLED);
              assertThat(e.getStatus().description()).isEqualTo("not needed");
            });
  }

  @Test
  void closingTheClient_failsItsOpenCallsThroughTheirObservers() throws Exception {
    Client client = echo.newClient();
    Recorder<String> replies = new Recorder<>();
    RequestObserver<String> requests =
        client.bidiStream("biStream", EchoService.SER, EchoService.DES).callAsync(replies);
    requests.onNext("one");
    CountDownLatch first = new CountDownLatch(1);
    while (replies.values.isEmpty()) {
      first.await(10, TimeUnit.MILLISECONDS);
    }
    client.close(); // the call is still open: it must end, and the observer must hear of it
    assertThatThrownBy(() -> replies.done.get(20, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void cancellingTheFuture_cancelsTheCall() throws Exception {
    try (Client client = new Client(echo.reference())) {
      CompletableFuture<String> future =
          client
              .unary("unary", EchoService.SER, EchoService.DES)
              .callAsync("x".repeat(10), CallOptions.DEFAULT);
      future.cancel(true);
      assertThat(future.isCancelled()).isTrue();
      // The client still works afterwards.
      assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("ok"))
          .isEqualTo("ok");
    }
  }

  @Test
  void userSuppliedExecutor_runsTheCallbacks() throws Exception {
    java.util.concurrent.ExecutorService mine =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "my-callbacks"));
    try (Client client = new Client(echo.reference(), mine)) {
      Recorder<String> replies = new Recorder<>();
      client.serverStream("serverStream", EchoService.SER, EchoService.DES).callAsync("e", replies);
      replies.await();
      assertThat(replies.threads).containsOnly("my-callbacks");
    } finally {
      mine.shutdownNow();
    }
  }
}
