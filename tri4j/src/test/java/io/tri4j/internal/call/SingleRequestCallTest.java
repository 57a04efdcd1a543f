package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Metadata;
import io.tri4j.MethodType;
import io.tri4j.ReadResult;
import io.tri4j.RpcMethodHandler;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Calls whose client sends one request (unary, server-streaming), blocking and async: the handler
 * runs once, when the request and the half-close are both in, as one task on the executor; the
 * request is held (and counted as held) until the handler reads it or the call ends.
 */
class SingleRequestCallTest {
  private static final String SERVICE = "pkg.Svc";

  /** Runs nothing until told: what the calls give it waits in {@link #tasks}. */
  private static final class ManualExecutor implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();
    boolean refuse;

    @Override
    public void execute(Runnable task) {
      if (refuse) {
        throw new RejectedExecutionException("full");
      }
      tasks.add(task);
    }

    void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }
  }

  private static final class StubStream implements ServerStream {
    int requested;
    final List<String> written = new ArrayList<>();
    Status closedWith;

    @Override
    public void request(int n) {
      requested += n;
    }

    @Override
    public void writeHeaders(Metadata headers, Compression compression) {}

    @Override
    public void writeMessage(OutboundMessage message) {
      try {
        written.add(new String(message.toByteArray(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close(Status status, Metadata trailers) {
      assertThat(closedWith).as("closed once").isNull();
      closedWith = status;
    }

    @Override
    public void cancel(Status status) {
      close(status, new Metadata());
    }

    @Override
    public boolean isReady() {
      return true;
    }
  }

  private final ManualExecutor executor = new ManualExecutor();
  private final TransportStats stats = new TransportStats();
  private final MethodRegistry registry =
      new MethodRegistry(executor, executor, List.of(), stats, new ShutdownNotice(), false);
  private final StubStream stream = new StubStream();

  private static ServerMethod<String, String> blocking(
      MethodType type, StreamHandler<String, String> handler) {
    return new ServerMethod<>(
        type,
        SingleRequestCallTest::text,
        SingleRequestCallTest::bytes,
        handler,
        null,
        null,
        List.of(),
        false);
  }

  private static ServerMethod<String, String> async(
      MethodType type, RpcMethodHandler.AsyncUnary<String, String> handler) {
    return new ServerMethod<>(
        type,
        SingleRequestCallTest::text,
        SingleRequestCallTest::bytes,
        null,
        new SingleRequestAsync<>(type, handler),
        null,
        List.of(),
        false);
  }

  /** A unary method whose requests never decode, with either handler. */
  private static ServerMethod<String, String> undecodable(
      StreamHandler<String, String> handler, AsyncHandler<String, String> asyncHandler) {
    return new ServerMethod<>(
        MethodType.UNARY,
        bytes -> {
          throw new IllegalArgumentException("not text");
        },
        SingleRequestCallTest::bytes,
        handler,
        asyncHandler,
        null,
        List.of(),
        false);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static WireMessage message(String text) {
    return WireMessage.plain(bytes(text));
  }

  private ServerStreamListener start(String method, ServerMethod<String, String> handler) {
    registry.add(SERVICE, null, null, method, handler);
    IncomingCall call =
        new IncomingCall(
            "/" + SERVICE + "/" + method,
            new Metadata(),
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            null);
    ServerStreamListener listener = registry.startCall(call, stream);
    assertThat(listener).isNotNull();
    return listener;
  }

  // ---- blocking handlers ----

  @Test
  void blockingUnary_startsAtTheHalfClose_andReadsItsOneRequestOnce() {
    List<Object> reads = new ArrayList<>();
    ServerStreamListener call =
        start(
            "Echo",
            blocking(
                MethodType.UNARY,
                (requests, responses) -> {
                  String request = requests.read();
                  reads.add(request);
                  reads.add(String.valueOf(requests.read()));
                  reads.add(requests.read(Duration.ofSeconds(1)).kind());
                  responses.write("echo " + request);
                }));
    assertThat(stream.requested).isGreaterThanOrEqualTo(2); // a second request would be seen

    call.onMessage(message("hello"));
    assertThat(stats.bytesHeld()).isEqualTo(5);
    assertThat(executor.tasks).as("the handler waits for the half-close").isEmpty();

    call.onHalfClose();
    assertThat(executor.tasks).hasSize(1);
    executor.runAll();

    assertThat(reads).containsExactly("hello", "null", ReadResult.Kind.END_OF_STREAM);
    assertThat(stream.written).containsExactly("echo hello");
    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.OK);
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingServerStream_iteratesOverItsOneRequest() {
    ServerStreamListener call =
        start(
            "Spell",
            blocking(
                MethodType.SERVER_STREAMING,
                (requests, responses) -> {
                  for (String request : requests) {
                    for (char c : request.toCharArray()) {
                      responses.write(String.valueOf(c));
                    }
                  }
                }));
    call.onMessage(message("abc"));
    call.onHalfClose();
    executor.runAll();

    assertThat(stream.written).containsExactly("a", "b", "c");
    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.OK);
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingUnary_cancelledBeforeTheHandlerReads_releasesTheRequest_andReadThrowsTheCancel() {
    List<Throwable> thrown = new ArrayList<>();
    ServerStreamListener call =
        start(
            "Slow",
            blocking(
                MethodType.UNARY,
                (requests, responses) -> {
                  try {
                    requests.read();
                  } catch (StatusException e) {
                    thrown.add(e);
                    throw e;
                  }
                }));
    call.onMessage(message("hello"));
    call.onHalfClose();
    call.onCancel(Status.CANCELLED.withDescription("client reset"));
    assertThat(stats.bytesHeld()).as("released at the cancel").isZero();

    executor.runAll(); // the handler, dispatched before the cancel, still runs

    assertThat(thrown).singleElement().isInstanceOf(StatusException.class);
    assertThat(((StatusException) thrown.get(0)).getStatus().code())
        .isEqualTo(Status.Code.CANCELLED);
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingUnary_aRequestArrivingAfterTheCallEnded_isNotHeld() {
    ServerStreamListener call =
        start("Late", blocking(MethodType.UNARY, (requests, responses) -> requests.read()));
    call.onCancel(Status.CANCELLED);

    call.onMessage(message("late"));
    call.onHalfClose();

    assertThat(stats.bytesHeld()).isZero();
    assertThat(executor.tasks).as("no handler for an ended call").isEmpty();
  }

  @Test
  void blockingUnary_handlerThatClosesItsRequestsUnread_readsTheEnd_andTheRequestIsReleased() {
    List<String> reads = new ArrayList<>();
    ServerStreamListener call =
        start(
            "Ignore",
            blocking(
                MethodType.UNARY,
                (requests, responses) -> {
                  requests.close();
                  reads.add(String.valueOf(requests.read()));
                  responses.write("done");
                }));
    call.onMessage(message("unread"));
    call.onHalfClose();
    executor.runAll();

    assertThat(reads).containsExactly("null");
    assertThat(stream.written).containsExactly("done");
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingUnary_handlerThatNeverReads_hasItsRequestReleasedWhenItReturns() {
    ServerStreamListener call =
        start("Unread", blocking(MethodType.UNARY, (requests, responses) -> responses.write("x")));
    call.onMessage(message("unread"));
    call.onHalfClose();
    executor.runAll();

    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.OK);
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingUnary_secondRequest_endsTheCallWithInternal_andNoHandlerRuns() {
    ServerStreamListener call =
        start("Twice", blocking(MethodType.UNARY, (requests, responses) -> requests.read()));
    call.onMessage(message("one"));
    call.onMessage(message("two"));
    call.onHalfClose();

    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(stream.closedWith.description()).contains("More than one request");
    assertThat(executor.tasks).isEmpty();
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingUnary_noRequest_endsTheCallWithInternal() {
    ServerStreamListener call =
        start("None", blocking(MethodType.UNARY, (requests, responses) -> requests.read()));
    call.onHalfClose();

    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(stream.closedWith.description()).contains("No request");
    assertThat(executor.tasks).isEmpty();
  }

  @Test
  void
      blockingUnary_handlerThatClosesItsRequestsAfterReading_stillReadsTheEnd_whenCancelledLater() {
    List<String> reads = new ArrayList<>();
    ServerStreamListener[] call = new ServerStreamListener[1];
    call[0] =
        start(
            "CloseThenCancel",
            blocking(
                MethodType.UNARY,
                (requests, responses) -> {
                  requests.close();
                  call[0].onCancel(Status.CANCELLED.withDescription("client reset"));
                  reads.add(String.valueOf(requests.read()));
                }));
    call[0].onMessage(message("unread"));
    call[0].onHalfClose();
    executor.runAll();

    assertThat(reads).as("the handler was done with its requests").containsExactly("null");
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingUnary_requestThatDoesNotDecode_failsTheRead_andIsReleased() {
    List<Status> failures = new ArrayList<>();
    ServerStreamListener call =
        start(
            "Bad",
            undecodable(
                (requests, responses) -> {
                  try {
                    requests.read();
                  } catch (StatusException e) {
                    failures.add(e.getStatus());
                    throw e;
                  }
                },
                null));
    call.onMessage(message("x"));
    call.onHalfClose();
    executor.runAll();

    assertThat(failures).extracting(Status::code).containsExactly(Status.Code.INTERNAL);
    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void blockingUnary_executorRefusingTheCall_endsItResourceExhausted_andReleasesTheRequest() {
    ServerStreamListener call =
        start("Busy", blocking(MethodType.UNARY, (requests, responses) -> requests.read()));
    call.onMessage(message("hello"));
    executor.refuse = true;

    call.onHalfClose();

    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(stats.bytesHeld()).isZero();
  }

  // ---- async handlers ----

  @Test
  void asyncUnary_runsAsOneTask_onceTheRequestAndTheHalfCloseAreIn() {
    List<String> requests = new ArrayList<>();
    ServerStreamListener call =
        start(
            "Echo",
            async(
                MethodType.UNARY,
                (request, responses) -> {
                  requests.add(request);
                  responses.onNext("echo " + request);
                  responses.onCompleted();
                }));
    assertThat(executor.tasks).as("nothing runs before the request").isEmpty();
    assertThat(stream.requested).isGreaterThanOrEqualTo(2);

    call.onMessage(message("hello"));
    assertThat(executor.tasks).isEmpty();
    call.onHalfClose();
    assertThat(executor.tasks).hasSize(1);
    executor.runAll();

    assertThat(requests).containsExactly("hello");
    assertThat(stream.written).containsExactly("echo hello");
    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.OK);
  }

  @Test
  void asyncUnary_executorRefusingTheCall_endsItResourceExhausted() {
    ServerStreamListener call =
        start("Busy", async(MethodType.UNARY, (request, responses) -> responses.onCompleted()));
    call.onMessage(message("hello"));
    executor.refuse = true;

    call.onHalfClose();

    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void asyncUnary_secondRequest_orNone_endsTheCallWithInternal() {
    List<String> handled = new ArrayList<>();
    ServerStreamListener twice =
        start("Twice", async(MethodType.UNARY, (request, responses) -> handled.add(request)));
    twice.onMessage(message("one"));
    twice.onMessage(message("two"));
    twice.onHalfClose();
    executor.runAll();
    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(stream.closedWith.description()).contains("More than one request");

    stream.closedWith = null;
    ServerStreamListener none =
        start(
            "None",
            async(MethodType.SERVER_STREAMING, (request, responses) -> handled.add(request)));
    none.onHalfClose();
    executor.runAll();
    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(stream.closedWith.description()).contains("No request");
    assertThat(handled).isEmpty();
  }

  @Test
  void asyncUnary_requestThatDoesNotDecode_endsTheCall_withoutRunningTheHandler() {
    List<String> handled = new ArrayList<>();
    ServerStreamListener call =
        start(
            "Bad",
            undecodable(
                null,
                new SingleRequestAsync<>(
                    MethodType.UNARY, (request, responses) -> handled.add(request))));
    call.onMessage(message("x"));
    call.onHalfClose();
    executor.runAll();

    assertThat(stream.closedWith.code()).isEqualTo(Status.Code.INTERNAL);
    assertThat(handled).isEmpty();
  }

  @Test
  void asyncUnary_ofAHandlerGivenAsARequestSink_getsTheRequestThenTheEnd_inTheOneRun() {
    List<String> events = new ArrayList<>();
    AsyncHandler<String, String> sinkHandler =
        responses ->
            new AsyncHandler.RequestSink<>() {
              @Override
              public void onNext(String request) {
                events.add("next " + request);
              }

              @Override
              public void onError(Throwable error) {
                events.add("error");
              }

              @Override
              public void onCompleted() {
                events.add("completed");
                responses.onNext("done");
                responses.onCompleted();
              }
            };
    ServerStreamListener call =
        start(
            "Sink",
            new ServerMethod<>(
                MethodType.UNARY,
                SingleRequestCallTest::text,
                SingleRequestCallTest::bytes,
                null,
                sinkHandler,
                null,
                List.of(),
                false));
    call.onMessage(message("hello"));
    call.onHalfClose();
    assertThat(executor.tasks).hasSize(1);
    executor.runAll();

    assertThat(events).containsExactly("next hello", "completed");
    assertThat(stream.written).containsExactly("done");
  }

  @Test
  void asyncUnary_cancelledBetweenTheHalfCloseAndTheRun_neverRunsTheHandler() {
    List<String> handled = new ArrayList<>();
    ServerStreamListener call =
        start("Late", async(MethodType.UNARY, (request, responses) -> handled.add(request)));
    call.onMessage(message("hello"));
    call.onHalfClose();

    call.onCancel(Status.CANCELLED);
    executor.runAll();

    assertThat(handled).isEmpty();
  }

  @Test
  void asyncHandlerOfASingleRequestMethod_throughItsRequestSink_appliesTheSameRule()
      throws Exception {
    List<String> handled = new ArrayList<>();
    SingleRequestAsync<String, String> handler =
        new SingleRequestAsync<>(MethodType.UNARY, (request, responses) -> handled.add(request));
    AsyncHandler.RequestSink<String> sink = handler.start(null);
    sink.onNext("one");
    assertThatThrownBy(() -> sink.onNext("two"))
        .isInstanceOf(StatusException.class)
        .hasMessageContaining("More than one request");
    sink.onCompleted();
    assertThat(handled).containsExactly("one");
    assertThatThrownBy(() -> handler.start(null).onCompleted())
        .isInstanceOf(StatusException.class)
        .hasMessageContaining("No request");
  }
}
