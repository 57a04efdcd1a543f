package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ControlFrameBudgetTest {
  private final MockTicker ticker = Ticker.newMockTicker();
  private int passed;
  private ControlFrameBudget budget;
  private final Http2FrameListener listener = limited();

  private Http2FrameListener limited() {
    Http2Connection connection = new DefaultHttp2Connection(true);
    DefaultHttp2ConnectionDecoder decoder =
        new DefaultHttp2ConnectionDecoder(
            connection,
            new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter()),
            new DefaultHttp2FrameReader());
    budget = new ControlFrameBudget(decoder, ticker);
    budget.frameListener(
        new Http2FrameAdapter() {
          @Override
          public void onPingRead(ChannelHandlerContext ctx, long data) {
            passed++;
          }
        });
    return decoder.frameListener();
  }

  /** Spends the whole budget on a mix of the counted frames. */
  private void spendAll() throws Http2Exception {
    for (int i = 0; i < ControlFrameBudget.BUDGET / 4; i++) {
      listener.onPriorityRead(null, 3, 0, (short) 16, false);
      listener.onWindowUpdateRead(null, 0, 1);
      listener.onSettingsRead(null, new Http2Settings());
      listener.onPingRead(null, i);
    }
  }

  private int pingsUntilRefused() {
    int before = passed;
    assertThatThrownBy(
            () -> {
              for (int i = 0; i <= ControlFrameBudget.BUDGET; i++) {
                listener.onPingRead(null, i);
              }
            })
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> assertThat(e.error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM))
        .hasMessageContaining("Too many PRIORITY, WINDOW_UPDATE, PING and SETTINGS frames");
    return passed - before;
  }

  @Test
  void theBudget_passes_andOneFrameMore_isEnhanceYourCalm() throws Exception {
    spendAll();
    assertThat(passed).isEqualTo(ControlFrameBudget.BUDGET / 4);
    assertThat(pingsUntilRefused()).isZero();
  }

  /** A server too slow to read a flood quickly still ends it after the same number of frames. */
  @Test
  void aSlowFlood_endsAfterTheBudgetAndWhatTimeEarned() throws Exception {
    for (int i = 0; i < ControlFrameBudget.BUDGET; i++) {
      listener.onPingRead(null, i);
      ticker.advance(1, TimeUnit.MILLISECONDS);
    }
    // Ten seconds passed: they earned ten frames a second.
    assertThat(pingsUntilRefused()).isEqualTo(10 * ControlFrameBudget.EARNED_PER_SECOND);
  }

  @Test
  void time_earnsFrames_upToTheBudget() throws Exception {
    spendAll();
    ticker.advance(1, TimeUnit.SECONDS);
    assertThat(pingsUntilRefused()).isEqualTo(ControlFrameBudget.EARNED_PER_SECOND);

    ticker.advance(1, TimeUnit.DAYS);
    assertThat(pingsUntilRefused()).isEqualTo(ControlFrameBudget.BUDGET);
  }

  @Test
  void requestsAndDataRead_earnFrames_emptyDataDoesNot() throws Exception {
    spendAll();
    listener.onHeadersRead(null, 1, new DefaultHttp2Headers(), 0, false);
    listener.onDataRead(null, 1, Unpooled.wrappedBuffer(new byte[1]), 0, false);
    listener.onDataRead(null, 1, Unpooled.EMPTY_BUFFER, 0, false);
    assertThat(pingsUntilRefused())
        .isEqualTo(
            ControlFrameBudget.EARNED_PER_REQUEST + ControlFrameBudget.EARNED_PER_DATA_FRAME);
  }

  @Test
  void dataWritten_earnsFramesPerFrameItBecomes() throws Exception {
    Http2ConnectionEncoder encoder = budget.earnOnWrite(discardingEncoder());
    spendAll();
    encoder.writeData(null, 1, Unpooled.EMPTY_BUFFER, 0, true, null);
    encoder.writeData(null, 1, Unpooled.wrappedBuffer(new byte[1]), 0, false, null);
    // Two DATA frames of the default maximum size and one byte: three frames.
    ByteBuf large = Unpooled.wrappedBuffer(new byte[2 * 16384 + 1]);
    encoder.writeData(null, 1, large, 0, false, null);
    assertThat(pingsUntilRefused()).isEqualTo(4 * ControlFrameBudget.EARNED_PER_DATA_FRAME);
  }

  @Test
  void usefulWork_cannotBankMoreThanTheBudget() throws Exception {
    for (int i = 0; i < ControlFrameBudget.BUDGET; i++) {
      listener.onHeadersRead(null, 2 * i + 1, new DefaultHttp2Headers(), 0, true);
    }
    assertThat(pingsUntilRefused()).isEqualTo(ControlFrameBudget.BUDGET);
  }

  /** An encoder that drops what it is given: the budget only looks at the calls. */
  private static Http2ConnectionEncoder discardingEncoder() {
    return (Http2ConnectionEncoder)
        Proxy.newProxyInstance(
            ControlFrameBudgetTest.class.getClassLoader(),
            new Class<?>[] {Http2ConnectionEncoder.class},
            (proxy, method, args) -> null);
  }
}
