package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.OutboundMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking client call's response headers and trailers: asked for before they come, the asker
 * waits for them; asked for after, they are there; a cancel answers every asker with none.
 */
@Timeout(10)
class BlockingClientCallTest {
  private static final class StubStream implements ClientStream {
    ClientStreamListener listener;

    @Override
    public void start(ClientStreamListener listener) {
      this.listener = listener;
    }

    @Override
    public void request(int n) {}

    @Override
    public void writeMessage(OutboundMessage message, boolean endOfStream) {}

    @Override
    public void halfClose() {}

    @Override
    public void cancel(Status status) {}

    @Override
    public boolean isReady() {
      return true;
    }
  }

  private final StubStream stream = new StubStream();
  private final BlockingClientCall<byte[], byte[]> call =
      new BlockingClientCall<>(stream, b -> b, b -> b, false, null, new TransportStats());

  private static Metadata metadata(String key, String value) {
    Metadata metadata = new Metadata();
    metadata.put(key, value);
    return metadata;
  }

  /** Waits until {@code thread} is parked, as a thread waiting for the metadata is. */
  private static void awaitWaiting(Thread thread) throws InterruptedException {
    while (thread.getState() != Thread.State.WAITING) {
      Thread.sleep(1);
    }
  }

  @Test
  void headersAndTrailersAskedForBeforeTheyCome_areWaitedFor() throws Exception {
    call.start();
    CompletableFuture<Metadata> headers = new CompletableFuture<>();
    CompletableFuture<Metadata> trailers = new CompletableFuture<>();
    Thread askingHeaders = new Thread(() -> headers.complete(call.headers()));
    Thread askingTrailers = new Thread(() -> trailers.complete(call.trailers()));
    askingHeaders.start();
    askingTrailers.start();
    awaitWaiting(askingHeaders);
    awaitWaiting(askingTrailers);
    assertThat(headers).isNotDone();

    stream.listener.onHeaders(metadata("x-h", "1"));
    assertThat(headers.get(5, TimeUnit.SECONDS).get("x-h")).isEqualTo("1");
    assertThat(trailers).isNotDone();

    stream.listener.onClose(Status.OK, metadata("x-t", "2"), CloseOrigin.PEER);
    assertThat(trailers.get(5, TimeUnit.SECONDS).get("x-t")).isEqualTo("2");
    assertThat(call.headers().get("x-h")).as("asked for again").isEqualTo("1");
  }

  @Test
  void twoThreadsAskingBeforeTheHeadersCome_bothGetThem() throws Exception {
    call.start();
    CompletableFuture<Metadata> first = new CompletableFuture<>();
    CompletableFuture<Metadata> second = new CompletableFuture<>();
    Thread one = new Thread(() -> first.complete(call.headers()));
    Thread two = new Thread(() -> second.complete(call.headers()));
    one.start();
    two.start();
    awaitWaiting(one);
    awaitWaiting(two);

    stream.listener.onHeaders(metadata("x-h", "1"));

    assertThat(first.get(5, TimeUnit.SECONDS).get("x-h")).isEqualTo("1");
    assertThat(second.get(5, TimeUnit.SECONDS).get("x-h")).isEqualTo("1");
  }

  @Test
  void metadataThatCame_isThereAtOnce_andOnlyTheFirstCounts() {
    call.start();
    stream.listener.onHeaders(metadata("x-h", "first"));
    stream.listener.onClose(Status.OK, metadata("x-t", "first"), CloseOrigin.PEER);
    stream.listener.onHeaders(metadata("x-h", "second"));

    assertThat(call.headers().get("x-h")).isEqualTo("first");
    assertThat(call.trailers().get("x-t")).isEqualTo("first");
  }

  @Test
  void cancel_answersThoseWaitingWithNone() throws Exception {
    call.start();
    CompletableFuture<Metadata> trailers = new CompletableFuture<>();
    Thread asking = new Thread(() -> trailers.complete(call.trailers()));
    asking.start();
    awaitWaiting(asking);

    call.cancel("the test is done");

    assertThat(trailers.get(5, TimeUnit.SECONDS).isEmpty()).isTrue();
    assertThat(call.headers().isEmpty()).isTrue();
  }
}
