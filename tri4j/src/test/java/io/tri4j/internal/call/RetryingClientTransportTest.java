package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.StreamTracer;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Retry decisions and replays, on a scripted transport: no network, no timing. */
class RetryingClientTransportTest {
  private static final MethodInfo METHOD = new MethodInfo("svc", "m", MethodType.UNARY);

  /** A stream that records what the call asked of it; the test plays the server. */
  static class FakeStream implements ClientStream {
    final List<String> log = new ArrayList<>();
    ClientStreamListener listener;
    boolean ready = true;

    @Override
    public void start(ClientStreamListener listener) {
      this.listener = listener;
      log.add("start");
    }

    @Override
    public void request(int n) {
      log.add("request " + n);
    }

    @Override
    public void writeMessage(OutboundMessage message, boolean endOfStream) {
      log.add("write " + text(message) + (endOfStream ? " eos" : ""));
    }

    @Override
    public void halfClose() {
      log.add("halfClose");
    }

    @Override
    public void cancel(Status status) {
      log.add("cancel " + status.code());
      listener.onClose(status, new Metadata(), CloseOrigin.LOCAL);
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    void close(Status.Code code, CloseOrigin origin) {
      listener.onClose(code.toStatus(), new Metadata(), origin);
    }
  }

  /** Records what reaches the call. */
  static class Recorder implements ClientStreamListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onHeaders(Metadata headers) {
      events.add("headers");
    }

    @Override
    public void onMessage(WireMessage message) {
      events.add("message");
    }

    @Override
    public void onReady() {
      events.add("ready");
    }

    @Override
    public void onTrailers(Status status, Metadata trailers) {
      events.add("trailers " + status.code());
    }

    @Override
    public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
      events.add("close " + status.code() + " " + origin);
    }
  }

  private final List<FakeStream> streams = new ArrayList<>();
  private final ClientTransport fake =
      (path, headers, deadline, compression) -> {
        FakeStream s = new FakeStream();
        streams.add(s);
        return s;
      };
  private final Recorder recorder = new Recorder();

  private ClientStream start(int retries, Executor executor) {
    ClientStream stream =
        new RetryingClientTransport(fake, retries, executor)
            .newStream(METHOD, new Metadata(), null, (Compression) null);
    stream.start(recorder);
    return stream;
  }

  private static OutboundMessage message(String text) {
    return OutboundMessage.of(text.getBytes(StandardCharsets.UTF_8), false);
  }

  private static String text(OutboundMessage message) {
    try {
      return message.size() > 100
          ? message.size() + " bytes"
          : new String(message.toByteArray(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void refusedStream_isSentAgainOnce_withEverythingTheCallSent() {
    ClientStream call = start(0, Runnable::run);
    call.request(3);
    call.writeMessage(message("a"), false);
    call.writeMessage(message("b"), true);

    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.REFUSED);

    assertThat(streams).hasSize(2);
    assertThat(streams.get(1).log).containsExactly("start", "request 3", "write a", "write b eos");
    assertThat(recorder.events).containsExactly("ready");

    streams.get(1).close(Status.Code.UNAVAILABLE, CloseOrigin.REFUSED);
    assertThat(streams).as("transparent retry happens once").hasSize(2);
    assertThat(recorder.events).containsExactly("ready", "close UNAVAILABLE REFUSED");
  }

  @Test
  void halfCloseWithoutMessage_isReplayedAsHalfClose() {
    ClientStream call = start(0, Runnable::run);
    call.writeMessage(message("a"), false);
    call.halfClose();

    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.REFUSED);

    assertThat(streams.get(1).log).containsExactly("start", "write a", "halfClose");
  }

  @Test
  void unavailableBeforeAnswer_failsOverUpToRetries() {
    start(2, Runnable::run).writeMessage(message("q"), true);

    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);
    streams.get(1).close(Status.Code.UNAVAILABLE, CloseOrigin.PEER);
    streams.get(2).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);

    assertThat(streams).hasSize(3);
    assertThat(streams.get(2).log).containsExactly("start", "write q eos");
    assertThat(recorder.events).endsWith("close UNAVAILABLE LOCAL");
  }

  @Test
  void refusedThenUnavailable_usesTheTransparentRetryAndTheFailoversApart() {
    start(1, Runnable::run).writeMessage(message("q"), true);

    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.REFUSED);
    streams.get(1).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);
    streams.get(2).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);

    assertThat(streams).hasSize(3);
    assertThat(recorder.events).endsWith("close UNAVAILABLE LOCAL");
  }

  @Test
  void answeredCall_isNeverRetried() {
    start(2, Runnable::run).writeMessage(message("q"), true);

    streams.get(0).listener.onHeaders(new Metadata());
    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);

    assertThat(streams).hasSize(1);
    assertThat(recorder.events).containsExactly("headers", "close UNAVAILABLE LOCAL");
  }

  @Test
  void trailersOnlyAnswer_isNeverRetried() {
    start(2, Runnable::run).writeMessage(message("q"), true);

    streams.get(0).listener.onTrailers(Status.UNAVAILABLE, new Metadata());
    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.PEER);

    assertThat(streams).hasSize(1);
  }

  @Test
  void otherStatuses_areNotRetried() {
    for (Status.Code code :
        List.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.INTERNAL)) {
      streams.clear();
      start(2, Runnable::run).writeMessage(message("q"), true);
      streams.get(0).close(code, CloseOrigin.LOCAL);
      assertThat(streams).as(code.name()).hasSize(1);
    }
  }

  @Test
  void requestsBeyondTheReplayBound_commitTheCall() {
    ClientStream call = start(2, Runnable::run);
    call.writeMessage(
        OutboundMessage.of(new byte[RetryingClientTransport.MAX_REPLAY_BYTES], false), false);
    call.writeMessage(message("one byte too many"), true);

    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.REFUSED);

    assertThat(streams).hasSize(1);
    assertThat(recorder.events).containsExactly("close UNAVAILABLE REFUSED");
  }

  @Test
  void writesBetweenAttempts_areKept_andTheCallIsNotReadyMeanwhile() {
    ArrayDeque<Runnable> pending = new ArrayDeque<>();
    ClientStream call = start(1, pending::add);
    call.writeMessage(message("a"), false);

    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);
    assertThat(call.isReady()).isFalse();
    call.writeMessage(message("b"), false);
    call.halfClose();
    call.request(1);
    assertThat(streams.get(0).log).containsExactly("start", "write a");

    pending.poll().run();
    assertThat(streams.get(1).log)
        .containsExactly("start", "request 1", "write a", "write b", "halfClose");
    assertThat(call.isReady()).isTrue();
    assertThat(recorder.events).containsExactly("ready");
  }

  @Test
  void writesPastTheBoundWhileARetryIsPending_areKeptForIt() {
    ArrayDeque<Runnable> pending = new ArrayDeque<>();
    ClientStream call = start(1, pending::add);
    call.writeMessage(message("a"), false);
    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);

    call.writeMessage(
        OutboundMessage.of(new byte[RetryingClientTransport.MAX_REPLAY_BYTES], false), true);
    pending.poll().run();

    assertThat(streams.get(1).log)
        .containsExactly(
            "start", "write a", "write " + RetryingClientTransport.MAX_REPLAY_BYTES + " bytes eos");
  }

  @Test
  void cancelWhileARetryIsPending_endsTheCall_andNoStreamStarts() {
    ArrayDeque<Runnable> pending = new ArrayDeque<>();
    ClientStream call = start(1, pending::add);
    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);

    call.cancel(Status.CANCELLED.withDescription("no longer needed"));
    assertThat(recorder.events).containsExactly("close CANCELLED LOCAL");

    pending.poll().run();
    assertThat(streams.stream().filter(s -> s.log.contains("start"))).hasSize(1);
    assertThat(recorder.events).hasSize(1);
  }

  @Test
  void cancelledCall_isNotRetried() {
    ClientStream call = start(2, Runnable::run);
    call.cancel(Status.CANCELLED);

    assertThat(streams).hasSize(1);
    assertThat(streams.get(0).log).containsExactly("start", "cancel CANCELLED");
    assertThat(recorder.events).containsExactly("close CANCELLED LOCAL");
  }

  @Test
  void eventsOfAReplacedAttempt_areIgnored() {
    start(1, Runnable::run);
    FakeStream first = streams.get(0);
    first.close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);

    first.listener.onReady();
    first.close(Status.Code.INTERNAL, CloseOrigin.LOCAL);

    assertThat(recorder.events).containsExactly("ready");
  }

  @Test
  void aRetryThatFailsAtOnce_tellsTheCallWithoutHoldingTheCallsLock() {
    // The call's thread may hold its own lock while it waits for the retrying stream's (blocking
    // calls request more messages so): an end reported with the stream's lock held deadlocks.
    List<ClientStream> opened = new ArrayList<>();
    ClientTransport failsOnRetry =
        (path, headers, deadline, compression) -> {
          ClientStream s =
              opened.isEmpty()
                  ? new FakeStream()
                  : new FailedClientStream(Status.UNAVAILABLE.withDescription("no provider"));
          opened.add(s);
          return s;
        };
    ClientStream call =
        new RetryingClientTransport(failsOnRetry, 1, Runnable::run)
            .newStream(METHOD, new Metadata(), null, (Compression) null);
    List<String> closes = new ArrayList<>();
    call.start(
        new Recorder() {
          @Override
          public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
            closes.add("close " + status.code() + (Thread.holdsLock(call) ? " under lock" : ""));
          }
        });
    call.writeMessage(message("q"), true);

    ((FakeStream) opened.get(0)).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);

    assertThat(opened).hasSize(2);
    assertThat(closes).containsExactly("close UNAVAILABLE");
  }

  @Test
  void writesWhileTheReplayRuns_followTheReplayedOnes() {
    List<FakeStream> opened = new ArrayList<>();
    ClientStream[] call = new ClientStream[1];
    ClientTransport writesDuringStart =
        (path, headers, deadline, compression) -> {
          FakeStream s =
              new FakeStream() {
                @Override
                public void start(ClientStreamListener listener) {
                  super.start(listener);
                  if (opened.size() == 2) {
                    // The call writes again as the replay begins: that comes after the replay.
                    call[0].writeMessage(message("c"), false);
                    call[0].request(1);
                  }
                }
              };
          opened.add(s);
          return s;
        };
    call[0] =
        new RetryingClientTransport(writesDuringStart, 1, Runnable::run)
            .newStream(METHOD, new Metadata(), null, (Compression) null);
    call[0].start(recorder);
    call[0].request(2);
    call[0].writeMessage(message("a"), false);
    call[0].writeMessage(message("b"), false);

    opened.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.LOCAL);
    call[0].writeMessage(message("d"), false);

    assertThat(opened.get(1).log)
        .containsExactly("start", "request 3", "write a", "write b", "write c", "write d");
    assertThat(recorder.events).containsExactly("ready");
  }

  @Test
  void negativeRetries_areRefused() {
    assertThatThrownBy(() -> new RetryingClientTransport(fake, -1, Runnable::run))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tracedCall_eachAttemptHasItsOwnTracer_withItsOwnHeaders_andSeesTheReplay() {
    List<String> traced = new ArrayList<>();
    List<Metadata> sentHeaders = new ArrayList<>();
    ClientTransport recordingHeaders =
        (path, headers, deadline, compression) -> {
          sentHeaders.add(headers);
          return fake.newStream(path, headers, deadline, compression);
        };
    StreamTracer.Factory factory =
        (previous, transparent, headers) -> {
          headers.put("x-attempt", String.valueOf(previous));
          traced.add("attempt " + previous + (transparent ? " transparent" : ""));
          return new StreamTracer() {
            @Override
            public void outboundMessage(int wireSize) {
              traced.add(previous + " out " + wireSize);
            }

            @Override
            public void inboundMessage(int wireSize) {
              traced.add(previous + " in " + wireSize);
            }

            @Override
            public void attemptClosed(Status status) {
              traced.add(previous + " closed " + status.code());
            }
          };
        };
    Metadata callHeaders = new Metadata().put("x-call", "1");
    ClientStream call =
        new RetryingClientTransport(recordingHeaders, 1, Runnable::run)
            .newStream(METHOD, callHeaders, null, null, List.of(factory));
    call.start(recorder);
    call.request(1);
    call.writeMessage(message("abc"), true);

    streams.get(0).close(Status.Code.UNAVAILABLE, CloseOrigin.REFUSED);
    streams.get(1).close(Status.Code.UNAVAILABLE, CloseOrigin.PEER);
    streams.get(2).listener.onMessage(WireMessage.plain(new byte[7]));
    streams.get(2).close(Status.Code.OK, CloseOrigin.PEER);

    assertThat(traced)
        .containsExactly(
            "attempt 0",
            "0 out 3",
            "0 closed UNAVAILABLE",
            "attempt 1 transparent",
            "1 out 3",
            "1 closed UNAVAILABLE",
            "attempt 2",
            "2 out 3",
            "2 in 7",
            "2 closed OK");
    assertThat(sentHeaders)
        .extracting(h -> h.get("x-attempt") + "/" + h.get("x-call"))
        .containsExactly("0/1", "1/1", "2/1");
    assertThat(callHeaders.containsKey("x-attempt")).as("the call's own headers").isFalse();
  }
}
