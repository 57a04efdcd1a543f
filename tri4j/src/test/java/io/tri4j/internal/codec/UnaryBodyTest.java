package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UnaryBodyTest {

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  @Test
  void framed_joinsThePiecesBehindOnePrefix() {
    UnaryBody body = new UnaryBody(1000);
    assertThat(body.add(ByteBuffer.wrap(new byte[] {1, 2}))).isTrue();
    assertThat(body.add(ByteBuffer.wrap(new byte[100]))).isTrue();
    byte[] framed = bytes(body.framed(true));
    assertThat(framed).hasSize(107).startsWith(1, 0, 0, 0, 102, 1, 2);
  }

  @Test
  void add_pastTheLimit_isRefused() {
    UnaryBody body = new UnaryBody(4);
    assertThat(body.add(ByteBuffer.wrap(new byte[4]))).isTrue();
    assertThat(body.add(ByteBuffer.wrap(new byte[1]))).isFalse();
  }

  @Test
  void of_isTheWholeMessage() {
    assertThat(bytes(UnaryBody.of(new byte[] {7}).framed(false))).containsExactly(0, 0, 0, 0, 1, 7);
  }
}
