package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Base64ChunksTest {

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void decode_paddedChunksConcatenated_decodesEach() {
    String text =
        Base64.getEncoder().encodeToString(new byte[] {1})
            + Base64.getEncoder().encodeToString(new byte[] {2, 3})
            + Base64.getEncoder().encodeToString(new byte[] {4, 5, 6});
    Base64Chunks decoder = new Base64Chunks();
    assertThat(bytes(decoder.decode(ascii(text)))).containsExactly(1, 2, 3, 4, 5, 6);
    decoder.finish();
  }

  @Test
  void decode_splitAtEveryByte_decodesTheSame() {
    byte[] data = "hello, gRPC-Web text".getBytes(StandardCharsets.UTF_8);
    String text = Base64.getEncoder().encodeToString(data);
    Base64Chunks decoder = new Base64Chunks();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      out.writeBytes(bytes(decoder.decode(ascii(text.substring(i, i + 1)))));
    }
    decoder.finish();
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Test
  void decode_notBase64_throwsWithReason() {
    assertThatThrownBy(() -> new Base64Chunks().decode(ascii("ab*d")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not base64");
  }

  @Test
  void decode_misplacedPadding_throws() {
    assertThatThrownBy(() -> new Base64Chunks().decode(ascii("a===")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'='");
    assertThatThrownBy(() -> new Base64Chunks().decode(ascii("ab=c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'='");
  }

  @Test
  void finish_insideAGroup_throws() {
    Base64Chunks decoder = new Base64Chunks();
    decoder.decode(ascii("QUJ"));
    assertThatThrownBy(decoder::finish)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends inside");
  }
}
