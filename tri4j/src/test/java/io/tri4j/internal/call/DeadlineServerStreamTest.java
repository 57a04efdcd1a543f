package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineServerStreamTest {
  private final FakeClock clock = new FakeClock();
  private final StubStream transport = new StubStream();
  private final List<Status> cancels = new ArrayList<>();
  private final DeadlineServerStream stream =
      new DeadlineServerStream(transport, Deadline.after(Duration.ofSeconds(5), clock));
  private final ServerStreamListener toTransport =
      stream.listen(
          new ServerStreamListener() {
            @Override
            public void onMessage(WireMessage message) {}

            @Override
            public void onHalfClose() {}

            @Override
            public void onReady() {}

            @Override
            public void onCancel(Status status) {
              cancels.add(status);
            }
          });

  private static final class StubStream implements ServerStream {
    final List<Status> ends = new ArrayList<>();

    @Override
    public void request(int n) {}

    @Override
    public void writeHeaders(Metadata headers, Compression compression) {}

    @Override
    public void writeMessage(OutboundMessage message) {}

    @Override
    public void close(Status status, Metadata trailers) {
      ends.add(status);
    }

    @Override
    public void cancel(Status status) {
      ends.add(status);
    }

    @Override
    public boolean isReady() {
      return true;
    }
  }

  @Test
  void deadlinePasses_cancelsTheTransportStream_withDeadlineExceeded() {
    clock.advance(Duration.ofMillis(4999));
    assertThat(transport.ends).isEmpty();

    clock.advance(Duration.ofMillis(1));

    assertThat(transport.ends)
        .extracting(Status::code)
        .containsExactly(Status.Code.DEADLINE_EXCEEDED);
    assertThat(transport.ends.get(0).description()).isEqualTo("Deadline exceeded on the server");
  }

  @Test
  void closeBeforeTheDeadline_cancelsTheTimer() {
    stream.close(Status.OK, new Metadata());

    assertThat(clock.pendingTimers()).isZero();
    assertThat(transport.ends).containsExactly(Status.OK);
  }

  @Test
  void clientResetNearTheDeadline_isDeadlineExceeded_andCancelsTheTimer() {
    clock.advance(Duration.ofMillis(4950));

    toTransport.onCancel(Status.CANCELLED.withDescription("The client reset the stream"));

    assertThat(cancels).extracting(Status::code).containsExactly(Status.Code.DEADLINE_EXCEEDED);
    assertThat(cancels.get(0).description()).contains("reset by the client");
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void clientResetFarFromTheDeadline_staysCancelled() {
    toTransport.onCancel(Status.CANCELLED);

    assertThat(cancels).containsExactly(Status.CANCELLED);
  }
}
