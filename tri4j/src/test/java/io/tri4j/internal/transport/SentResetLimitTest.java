package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SentResetLimitTest {
  private static final int MAX = 3;
  private static final long PROTOCOL_ERROR = Http2Error.PROTOCOL_ERROR.code();

  private final MockTicker ticker = Ticker.newMockTicker();
  private final Lifecycle lifecycle = new Lifecycle();
  private final SentResetLimit limit = newLimit();

  private SentResetLimit newLimit() {
    SentResetLimit limit =
        new SentResetLimit(
            new DefaultHttp2ConnectionEncoder(
                new DefaultHttp2Connection(true), new DefaultHttp2FrameWriter()),
            MAX,
            30,
            ticker);
    limit.lifecycleManager(lifecycle);
    return limit;
  }

  /** What the connection handler is asked to do; a close of the channel would need a context. */
  private static final class Lifecycle implements Http2LifecycleManager {
    final List<Long> resets = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public ChannelFuture resetStream(
        ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
      resets.add(errorCode);
      return promise;
    }

    @Override
    public void onError(ChannelHandlerContext ctx, boolean outbound, Throwable cause) {
      assertThat(outbound).isTrue();
      errors.add(cause);
    }

    @Override
    public void closeStreamLocal(Http2Stream stream, ChannelFuture future) {}

    @Override
    public void closeStreamRemote(Http2Stream stream, ChannelFuture future) {}

    @Override
    public void closeStream(Http2Stream stream, ChannelFuture future) {}

    @Override
    public ChannelFuture goAway(
        ChannelHandlerContext ctx,
        int lastStreamId,
        long errorCode,
        ByteBuf debugData,
        ChannelPromise promise) {
      throw new AssertionError("the connection handler sends the GOAWAY of a connection error");
    }
  }

  private void reset(int times, long errorCode) {
    for (int i = 0; i < times; i++) {
      limit.writeRstStream(null, 1 + 2 * i, errorCode, null);
    }
  }

  @Test
  void writeRstStream_maxForClientErrors_passes() {
    reset(MAX, PROTOCOL_ERROR);

    assertThat(lifecycle.resets).hasSize(MAX);
    assertThat(lifecycle.errors).isEmpty();
  }

  @Test
  void writeRstStream_oneMore_isOneEnhanceYourCalmConnectionError() {
    reset(MAX + 5, PROTOCOL_ERROR);

    assertThat(lifecycle.resets).hasSize(MAX + 5); // the reset is written before the GOAWAY
    assertThat(lifecycle.errors).hasSize(1);
    assertThat(lifecycle.errors.get(0))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> {
              assertThat(e.error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
              assertThat(e.shutdownHint()).isEqualTo(Http2Exception.ShutdownHint.HARD_SHUTDOWN);
            })
        .hasMessage("More than 3 streams reset for client errors within 30 seconds");
  }

  @Test
  void writeRstStream_cancelAndNoError_notCounted() {
    reset(10, Http2Error.CANCEL.code());
    reset(10, Http2Error.NO_ERROR.code());
    reset(MAX, PROTOCOL_ERROR);

    assertThat(lifecycle.errors).isEmpty();
  }

  @Test
  void writeRstStream_afterTheWindow_countsAgain() {
    reset(MAX, PROTOCOL_ERROR);
    ticker.advance(30, TimeUnit.SECONDS);
    reset(MAX, PROTOCOL_ERROR);

    assertThat(lifecycle.errors).isEmpty();

    reset(1, PROTOCOL_ERROR);
    assertThat(lifecycle.errors).hasSize(1);
  }

  @Test
  void writeRstStream_withinTheWindow_countsTheWholeWindow() {
    reset(MAX, PROTOCOL_ERROR);
    ticker.advance(29, TimeUnit.SECONDS);
    reset(1, PROTOCOL_ERROR);

    assertThat(lifecycle.errors).hasSize(1);
  }
}
