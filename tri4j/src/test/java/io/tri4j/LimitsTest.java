package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Large messages, many concurrent calls, message-size limits, and bounded buffering. */
@Timeout(60)
class LimitsTest {
  @RegisterExtension static final EchoServerExtension echo = new EchoServerExtension();

  private static final int EIGHT_MIB = 8 * 1024 * 1024;

  @Test
  void unary_eightMebibyteMessages_spanManyDataFrames_bothWays() {
    String big = "0123456789abcdef".repeat(EIGHT_MIB / 16);
    String reply = echo.unary("unary").call(big);
    assertThat(reply.length()).isEqualTo(EIGHT_MIB);
    assertThat(reply).isEqualTo(big);
  }

  @Test
  void bidi_severalEightMebibyteMessages_arriveIntact() {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      requests.add(Character.toString('a' + i).repeat(EIGHT_MIB));
    }
    List<String> replies = new ArrayList<>();
    echo.bidiStream("biStream").call(requests).forEach(replies::add);
    assertThat(replies).isEqualTo(requests);
  }

  @Test
  void thousandConcurrentCalls_shareOneConnection() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(echo.isTcp(), "counts TCP connections");
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try (TcpRelay relay = new TcpRelay(echo.server().port());
        Client client =
            new Client(
                ReferenceConfig.fromUrl(
                    "tri://127.0.0.1:" + relay.port() + "/" + EchoService.NAME))) {
      UnaryCallable<String, String> unary = client.unary("unary", EchoService.SER, EchoService.DES);
      BidiStreamCallable<String, String> bidi =
          client.bidiStream("biStream", EchoService.SER, EchoService.DES);
      // Hold 1000 streams open at once: each bidi call stays open until released.
      List<StreamingCall<String, String>> open = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        StreamingCall<String, String> call = bidi.call();
        call.write("open" + i);
        open.add(call);
      }
      for (int i = 0; i < open.size(); i++) {
        ReadResult<String> reply = open.get(i).read(Duration.ofSeconds(10));
        assertThat(reply.isMessage()).as("reply on open call %d: %s", i, reply).isTrue();
        assertThat(reply.message()).isEqualTo("open" + i);
      }
      List<Future<String>> unaries = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String request = "u" + i;
        unaries.add(pool.submit((Callable<String>) () -> unary.call(request)));
      }
      for (int i = 0; i < unaries.size(); i++) {
        assertThat(unaries.get(i).get()).isEqualTo("u" + i);
      }
      for (StreamingCall<String, String> call : open) {
        call.doneWriting();
        assertThat(call.read()).isNull();
      }
      assertThat(relay.acceptedConnections()).as("TCP connections opened").isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void responseOverClientLimit_isResourceExhausted_andConnectionCarriesOn() {
    try (Client small = new Client(echo.reference().withMaxInboundMessageSize(1024))) {
      UnaryCallable<String, String> unary = small.unary("unary", EchoService.SER, EchoService.DES);
      assertThatThrownBy(() -> unary.call("y".repeat(4096)))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().description()).contains("4096").contains("1024");
              });
      assertThat(unary.call("small")).isEqualTo("small");
    }
  }

  @Test
  void requestOverServerLimit_isResourceExhausted_andServerKeepsServing() {
    String tooBig = "z".repeat(EchoServerExtension.MAX_MESSAGE + 1);
    assertThatThrownBy(() -> echo.unary("unary").call(tooBig))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(echo.unary("unary").call("after")).isEqualTo("after");
  }

  @Test
  void slowReader_serverIsHeldBack_andNothingIsLost() throws Exception {
    int count = 20_000;
    int size = 1024;
    int before = echo.service.streamed.get();
    ReadStream<String> replies = echo.serverStream("serverStream").call("n:" + count + ":" + size);
    // Read nothing for a while: flow control must stop the server well before the end.
    Thread.sleep(500);
    int writtenWhileIdle = echo.service.streamed.get() - before;
    // Stream window (1 MiB) + read-ahead + the writer's small queue: about 1,100 messages.
    assertThat(writtenWhileIdle).isLessThan(3_000);

    int read = 0;
    for (String reply : replies) {
      assertThat(reply).startsWith(read + ":");
      assertThat(reply).hasSize(Integer.toString(read).length() + 1 + size);
      read++;
    }
    assertThat(read).isEqualTo(count);
  }

  @Test
  void readStreamClose_cancelsTheCall_andServerIsFreed() throws Exception {
    int before = echo.service.streamed.get();
    ReadStream<String> replies = echo.serverStream("serverStream").call("n:1000000:64");
    assertThat(replies.read()).startsWith("0:");
    replies.close();
    assertThatThrownBy(replies::read)
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.CANCELLED));
    Thread.sleep(300);
    int afterCancel = echo.service.streamed.get();
    Thread.sleep(300);
    assertThat(echo.service.streamed.get())
        .as("the handler stopped writing")
        .isEqualTo(afterCancel);
    assertThat(afterCancel - before).isLessThan(1_000_000);
  }
}
