package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SentPromiseTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  private final List<Integer> sent = new ArrayList<>();

  private final NettyStream stream =
      new NettyStream() {
        @Override
        public void onData(ByteBuf data, boolean endOfStream) {}

        @Override
        public void onSent(int size) {
          sent.add(size);
        }
      };

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void aWriteThatCompletesLater_tellsTheStreamThen_once() {
    SentPromise promise = new SentPromise(ctx, stream, 42);
    promise.handedOver();
    assertThat(sent).isEmpty();

    assertThat(promise.trySuccess()).isTrue();
    assertThat(promise.trySuccess()).isFalse();
    assertThat(promise.tryFailure(new IOException("late"))).isFalse();

    assertThat(sent).containsExactly(42);
    assertThat(promise.isSuccess()).isTrue();
  }

  @Test
  void aFailedWrite_givesItsBytesBackToo() {
    SentPromise promise = new SentPromise(ctx, stream, 7);
    promise.handedOver();
    promise.setFailure(new IOException("reset"));
    assertThat(sent).containsExactly(7);

    SentPromise cancelled = new SentPromise(ctx, stream, 8);
    cancelled.handedOver();
    assertThat(cancelled.cancel(false)).isTrue();
    assertThat(sent).containsExactly(7, 8);
  }

  @Test
  void aWriteThatEndedBeforeItWasHandedOver_givesItsBytesBackInATaskOfItsOwn() {
    SentPromise promise = new SentPromise(ctx, stream, 5);
    promise.setFailure(new IOException("the stream is closing"));
    promise.handedOver();
    assertThat(sent).as("not while its writer may still be looping").isEmpty();

    channel.runPendingTasks();

    assertThat(sent).containsExactly(5);
  }

  @Test
  void listenersStillHearOfTheWrite() {
    SentPromise promise = new SentPromise(ctx, stream, 3);
    List<String> heard = new ArrayList<>();
    promise.addListener(f -> heard.add("done " + f.isSuccess() + " sent " + sent));
    promise.handedOver();
    promise.setSuccess();
    assertThat(heard).containsExactly("done true sent []");
    assertThat(sent).containsExactly(3);
  }
}
