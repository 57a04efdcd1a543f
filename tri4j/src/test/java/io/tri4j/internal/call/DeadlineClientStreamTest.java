package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineClientStreamTest {
  private final FakeClock clock = new FakeClock();
  private final Deadline deadline = Deadline.after(Duration.ofSeconds(5), clock);
  private final StubStream below = new StubStream();
  private final List<Status> ends = new ArrayList<>();

  private final ClientStreamListener caller =
      new ClientStreamListener() {
        @Override
        public void onHeaders(Metadata headers) {}

        @Override
        public void onMessage(WireMessage message) {}

        @Override
        public void onReady() {}

        @Override
        public void onTrailers(Status status, Metadata trailers) {}

        @Override
        public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
          ends.add(status);
        }
      };

  /** Records what the stream above asks of it; its listener is the stream above. */
  private static final class StubStream implements ClientStream {
    final List<Status> cancels = new ArrayList<>();
    ClientStreamListener listener;
    Status failAtStart;

    @Override
    public void start(ClientStreamListener listener) {
      this.listener = listener;
      if (failAtStart != null) {
        listener.onClose(failAtStart, new Metadata(), CloseOrigin.LOCAL);
      }
    }

    @Override
    public void request(int n) {}

    @Override
    public void writeMessage(OutboundMessage message, boolean endOfStream) {}

    @Override
    public void halfClose() {}

    @Override
    public void cancel(Status status) {
      cancels.add(status);
    }

    @Override
    public boolean isReady() {
      return true;
    }
  }

  @Test
  void deadlinePasses_cancelsTheStreamBelow_withDeadlineExceeded() {
    DeadlineClientStream.of(below, deadline).start(caller);

    clock.advance(Duration.ofMillis(4999));
    assertThat(below.cancels).isEmpty();
    clock.advance(Duration.ofMillis(1));

    assertThat(below.cancels)
        .extracting(Status::code)
        .containsExactly(Status.Code.DEADLINE_EXCEEDED);
    assertThat(below.cancels.get(0).description()).contains("within the call's timeout");
  }

  @Test
  void cancelledEnd_afterTheDeadlineFired_isReportedAsTheDeadline() {
    DeadlineClientStream.of(below, deadline).start(caller);
    clock.advance(Duration.ofSeconds(5));

    // A chain below can only cancel: its end comes back as CANCELLED.
    below.listener.onClose(Status.CANCELLED, new Metadata(), CloseOrigin.PEER);

    assertThat(ends).extracting(Status::code).containsExactly(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void resetByTheServerNearTheDeadline_isDeadlineExceeded_butNotFarFromIt() {
    DeadlineClientStream.of(below, deadline).start(caller);
    clock.advance(Duration.ofMillis(4950));
    below.listener.onClose(
        Status.CANCELLED.withDescription("The server reset the stream"),
        new Metadata(),
        CloseOrigin.PEER);

    StubStream other = new StubStream();
    DeadlineClientStream.of(other, Deadline.after(Duration.ofSeconds(5), clock)).start(caller);
    other.listener.onClose(Status.CANCELLED, new Metadata(), CloseOrigin.PEER);

    assertThat(ends)
        .extracting(Status::code)
        .containsExactly(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
    assertThat(ends.get(0).description()).contains("reset by the server");
  }

  @Test
  void cancelledTrailersNearTheDeadline_stayCancelled() {
    DeadlineClientStream.of(below, deadline).start(caller);
    clock.advance(Duration.ofMillis(4950));

    below.listener.onTrailers(Status.CANCELLED, new Metadata());
    below.listener.onClose(Status.CANCELLED, new Metadata(), CloseOrigin.PEER);

    assertThat(ends).extracting(Status::code).containsExactly(Status.Code.CANCELLED);
  }

  @Test
  void cancelOnceTheDeadlinePassed_goesDownAsTheDeadline() {
    ClientStream timedAbove = DeadlineClientStream.timedAbove(below, deadline);
    timedAbove.start(caller);
    assertThat(clock.pendingTimers()).isZero(); // the stream above times it

    clock.advance(Duration.ofSeconds(5));
    timedAbove.cancel(Status.CANCELLED.withDescription("Deadline exceeded: from above"));

    assertThat(below.cancels)
        .extracting(Status::code)
        .containsExactly(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void endBeforeTheDeadline_cancelsTheTimer() {
    DeadlineClientStream.of(below, deadline).start(caller);
    assertThat(clock.pendingTimers()).isOne();

    below.listener.onClose(Status.OK, new Metadata(), CloseOrigin.PEER);

    assertThat(clock.pendingTimers()).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(below.cancels).isEmpty();
    assertThat(ends).containsExactly(Status.OK);
  }

  @Test
  void streamThatFailsAsItStarts_armsNoTimer() {
    below.failAtStart = Status.UNAVAILABLE.withDescription("no connection");

    DeadlineClientStream.of(below, deadline).start(caller);

    assertThat(clock.pendingTimers()).isZero();
    assertThat(ends).extracting(Status::code).containsExactly(Status.Code.UNAVAILABLE);
  }

  @Test
  void noDeadline_isTheStreamItself() {
    assertThat(DeadlineClientStream.of(below, null)).isSameAs(below);
  }
}
