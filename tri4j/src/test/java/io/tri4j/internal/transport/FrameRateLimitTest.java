package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameRateLimitTest {
  private final MockTicker ticker = Ticker.newMockTicker();
  private int passed;
  private final Http2FrameListener listener = limited();

  private Http2FrameListener limited() {
    Http2Connection connection = new DefaultHttp2Connection(true);
    DefaultHttp2ConnectionDecoder decoder =
        new DefaultHttp2ConnectionDecoder(
            connection,
            new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter()),
            new DefaultHttp2FrameReader());
    FrameRateLimit limit = new FrameRateLimit(decoder, ticker);
    limit.frameListener(
        new Http2FrameAdapter() {
          @Override
          public void onPingRead(io.netty.channel.ChannelHandlerContext ctx, long data) {
            passed++;
          }
        });
    return decoder.frameListener();
  }

  @Test
  void framesWithinTheRate_passThrough() throws Exception {
    for (int second = 0; second < 3; second++) {
      for (int i = 0; i < FrameRateLimit.MAX_PER_SECOND; i++) {
        listener.onPingRead(null, i);
      }
      ticker.advance(1, TimeUnit.SECONDS);
    }
    assertThat(passed).isEqualTo(3 * FrameRateLimit.MAX_PER_SECOND);
  }

  @Test
  void oneFrameOverTheRate_isEnhanceYourCalm() throws Exception {
    for (int i = 0; i < FrameRateLimit.MAX_PER_SECOND / 2; i++) {
      listener.onPriorityRead(null, 3, 0, (short) 16, false);
      listener.onWindowUpdateRead(null, 0, 1);
    }
    assertThatThrownBy(() -> listener.onSettingsRead(null, new Http2Settings()))
        .isInstanceOfSatisfying(
            Http2Exception.class,
            e -> assertThat(e.error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM))
        .hasMessageContaining("in a second");
  }
}
