package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wake-ups of a reader of a single-message stream (the response of a unary call). */
@Timeout(30)
class InboundMessagesTest {
  private static final InboundMessages.Control NO_CONTROL =
      new InboundMessages.Control() {
        @Override
        public void request(int n) {}

        @Override
        public void abandon(Status status) {}
      };

  private static InboundMessages<String> singleMessage() {
    InboundMessages<String> inbound =
        new InboundMessages<>(
            b -> new String(b, StandardCharsets.UTF_8), NO_CONTROL, true, new TransportStats());
    inbound.start();
    return inbound;
  }

  private static WireMessage text(String s) {
    return WireMessage.plain(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Waits until {@code thread} is parked (in a read). */
  private static void awaitParked(Thread thread) throws InterruptedException {
    while (thread.getState() != Thread.State.WAITING
        && thread.getState() != Thread.State.TIMED_WAITING) {
      assertThat(thread.isAlive()).as("reader still running").isTrue();
      Thread.sleep(5);
    }
  }

  /** Counts the messages asked for. */
  private static final class Demand implements InboundMessages.Control {
    int requested;

    @Override
    public void request(int n) {
      requested += n;
    }

    @Override
    public void abandon(Status status) {}
  }

  @Test
  void demand_isTwoUntilTheFirstMessageShowsTheSize_andTwoForEverForASingleMessage() {
    Demand streamDemand = new Demand();
    InboundMessages<String> stream =
        new InboundMessages<>(
            b -> new String(b, StandardCharsets.UTF_8), streamDemand, new TransportStats());
    stream.start();
    assertThat(streamDemand.requested).as("before any message").isEqualTo(2);
    stream.onMessage(text("small"));
    assertThat(stream.read()).isEqualTo("small");
    assertThat(streamDemand.requested).as("small messages: the full prefetch").isEqualTo(2 + 15);
    stream.close();

    Demand unaryDemand = new Demand();
    InboundMessages<String> unary =
        new InboundMessages<>(
            b -> new String(b, StandardCharsets.UTF_8), unaryDemand, true, new TransportStats());
    unary.start();
    unary.onMessage(text("one"));
    unary.end(Status.OK);
    assertThat(unary.read()).isEqualTo("one");
    assertThat(unary.read()).isNull();
    assertThat(unaryDemand.requested).as("one response, and room to see a second").isEqualTo(2);
  }

  @Test
  void singleMessage_readerGetsTheMessageWhenTheStreamEnds() throws Exception {
    InboundMessages<String> inbound = singleMessage();
    CompletableFuture<String> read = new CompletableFuture<>();
    Thread reader = new Thread(() -> read.complete(inbound.read()));
    reader.start();
    awaitParked(reader);
    inbound.onMessage(text("one"));
    inbound.end(Status.OK);
    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("one");
    assertThat(inbound.read()).isNull();
  }

  @Test
  void singleMessage_readerThatTookTheFirstMessage_isWokenByASecond() throws Exception {
    // The first message is already queued when the reader comes: it takes it without waiting,
    // then waits for the end. A second message must wake it (the stream may never end).
    InboundMessages<String> inbound = singleMessage();
    inbound.onMessage(text("one"));
    CompletableFuture<String> second = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              assertThat(inbound.read()).isEqualTo("one");
              second.complete(inbound.read());
            });
    reader.start();
    awaitParked(reader);
    inbound.onMessage(text("two"));
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("two");
  }

  @Test
  void awaitSingleOutcome_waitsForTheEndOrASecondMessage() throws Exception {
    InboundMessages<String> twoMessages = singleMessage();
    twoMessages.onMessage(text("one"));
    assertThat(twoMessages.awaitSingleOutcome(20, TimeUnit.MILLISECONDS)).isFalse();
    twoMessages.onMessage(text("two"));
    assertThat(twoMessages.awaitSingleOutcome(10, TimeUnit.SECONDS)).isTrue();

    InboundMessages<String> ended = singleMessage();
    ended.onMessage(text("one"));
    ended.end(Status.OK);
    assertThat(ended.awaitSingleOutcome(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ended.read()).isEqualTo("one");
  }
}
