package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The four call styles over a real loopback connection, in both the iterator and writer forms. */
@Timeout(30)
class CallStylesTest {
  @RegisterExtension static final EchoServerExtension echo = new EchoServerExtension();

  private static List<String> readAll(ReadStream<String> stream) {
    List<String> all = new ArrayList<>();
    for (String s : stream) {
      all.add(s);
    }
    return all;
  }

  @Test
  void unary_request_returnsResponse() {
    assertThat(echo.unary("unary").call("héllo wörld")).isEqualTo("héllo wörld");
  }

  @Test
  void unary_emptyMessage_roundTrips() {
    assertThat(echo.unary("unary").call("")).isEmpty();
  }

  @Test
  void clientStream_iterator_returnsSingleResponse() {
    assertThat(echo.clientStream("clientStream").call(List.of("a", "b", "c"))).isEqualTo("a,b,c");
  }

  @Test
  void clientStream_emptyIterator_returnsEmptyResponse() {
    assertThat(echo.clientStream("clientStream").call(List.<String>of())).isEmpty();
  }

  @Test
  void clientStream_writeThenDoneWriting_oneReadGivesReplyThenEnd() {
    StreamingCall<String, String> call = echo.clientStream("clientStream").call();
    call.write("x");
    call.write("y");
    call.doneWriting();
    assertThat(call.read()).isEqualTo("x,y");
    assertThat(call.read()).isNull();
  }

  @Test
  void serverStream_writerForm_readsAllThenEnd() {
    ReadStream<String> replies = echo.serverStream("serverStream").call("s");
    assertThat(replies.read()).isEqualTo("s-0");
    assertThat(replies.read()).isEqualTo("s-1");
    assertThat(replies.read()).isEqualTo("s-2");
    assertThat(replies.read()).isNull();
    assertThat(replies.read()).as("end of stream stays the end").isNull();
  }

  @Test
  void serverStream_handlerReturnsRightAfterItsLastWrites_everyMessageComesBeforeTheEnd() {
    // The close races the writes still on their way to the network thread: none may be lost.
    for (int call = 0; call < 50; call++) {
      List<String> replies = readAll(echo.serverStream("serverStream").call("n:20:8"));
      assertThat(replies).as("call %d", call).hasSize(20);
      for (int i = 0; i < 20; i++) {
        assertThat(replies.get(i)).startsWith(i + ":");
      }
    }
  }

  @Test
  void serverStream_iteratorForm_iterates() {
    assertThat(readAll(echo.serverStream("serverStreamIter").call("i")))
        .containsExactly("i-0", "i-1", "i-2");
  }

  @Test
  void bidiStream_requestIterator_echoesInOrder() {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      requests.add("m" + i);
    }
    assertThat(readAll(echo.bidiStream("biStream").call(requests))).isEqualTo(requests);
  }

  @Test
  void bidiStream_serverIteratorForm_echoesInOrder() {
    assertThat(readAll(echo.bidiStream("biStreamIter").call(List.of("p", "q"))))
        .containsExactly("p", "q");
  }

  @Test
  void bidiStream_writeAndRead_pingPong() {
    try (StreamingCall<String, String> call = echo.bidiStream("biStreamIter").call()) {
      for (int i = 0; i < 10; i++) {
        call.write("ping" + i);
        assertThat(call.read(Duration.ofSeconds(5)).message()).isEqualTo("ping" + i);
      }
      call.doneWriting();
      assertThat(call.read()).isNull();
    }
  }

  @Test
  void bidiStream_lazyRequestIterator_getsEachReplyBeforeNextRequest() throws Exception {
    // The request iterator waits for the previous reply before producing the next request:
    // this only finishes if each reply is sent as soon as its request arrives.
    BlockingQueue<String> replies = new ArrayBlockingQueue<>(10);
    Iterator<String> requests =
        new Iterator<>() {
          int sent;

          @Override
          public boolean hasNext() {
            return sent < 3;
          }

          @Override
          public String next() {
            try {
              if (sent > 0 && replies.poll(10, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no reply to the previous request");
              }
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            return "r" + sent++;
          }
        };
    List<String> got = new ArrayList<>();
    for (String reply : echo.bidiStream("biStreamIter").call(requests)) {
      got.add(reply);
      replies.add(reply);
    }
    assertThat(got).containsExactly("r0", "r1", "r2");
  }

  @Test
  void bidiRequestIterator_blockedWhenTheCallEndsOk_isStopped() throws Exception {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Iterator<String> blocking =
        new Iterator<>() {
          boolean first = true;

          @Override
          public boolean hasNext() {
            if (first) {
              return true;
            }
            try {
              Thread.sleep(60_000); // waits for something that never comes
            } catch (InterruptedException e) {
              stopped.countDown();
              Thread.currentThread().interrupt();
            }
            return false;
          }

          @Override
          public String next() {
            first = false;
            return "first";
          }
        };
    // The server ends the call with OK after the first request:
    ResponseStream<String> replies = echo.bidiStream("biStreamEndsEarly").call(blocking);
    assertThat(replies.read()).isEqualTo("bye");
    assertThat(replies.read()).isNull();
    assertThat(stopped.await(10, java.util.concurrent.TimeUnit.SECONDS))
        .as("the request writer was interrupted")
        .isTrue();
  }

  @Test
  void readWithTimeout_givesTimeoutThenMessageThenEndOfStream() {
    StreamingCall<String, String> call = echo.bidiStream("biStream").call();
    ReadResult<String> first = call.read(Duration.ofMillis(100));
    assertThat(first.kind()).isEqualTo(ReadResult.Kind.TIMEOUT);
    assertThat(first.isTimeout()).isTrue();

    call.write("late");
    ReadResult<String> second = call.read(Duration.ofSeconds(5));
    assertThat(second.kind()).isEqualTo(ReadResult.Kind.MESSAGE);
    assertThat(second.message()).isEqualTo("late");

    call.doneWriting();
    ReadResult<String> third = call.read(Duration.ofSeconds(5));
    assertThat(third.isEndOfStream()).isTrue();
    assertThatThrownBy(third::message).isInstanceOf(java.util.NoSuchElementException.class);
  }

  @Test
  void clientStream_readWithTimeout_timesOutUntilDoneWriting() {
    StreamingCall<String, String> call = echo.clientStream("clientStream").call();
    call.write("only");
    assertThat(call.read(Duration.ofMillis(100)).isTimeout()).isTrue();
    call.doneWriting();
    assertThat(call.read(Duration.ofSeconds(5)).message()).isEqualTo("only");
    assertThat(call.read(Duration.ofSeconds(5)).isEndOfStream()).isTrue();
  }

  @Test
  void write_afterDoneWriting_throwsIllegalState() {
    StreamingCall<String, String> call = echo.bidiStream("biStream").call();
    call.write("a");
    call.doneWriting();
    assertThatThrownBy(() -> call.write("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("doneWriting");
    assertThat(readAll(call)).containsExactly("a");
  }

  @Test
  void doneWriting_twice_isHarmless() {
    StreamingCall<String, String> call = echo.clientStream("clientStream").call();
    call.doneWriting();
    call.doneWriting();
    assertThat(call.read()).isEmpty();
  }

  @Test
  void readStream_stream_mapsLazily() {
    assertThat(echo.serverStream("serverStream").call("z").stream().map(String::toUpperCase))
        .containsExactly("Z-0", "Z-1", "Z-2");
  }
}
