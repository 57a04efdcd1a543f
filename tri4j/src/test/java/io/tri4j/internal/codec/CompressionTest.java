package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Status;
import io.tri4j.StatusException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CompressionTest {
  private static final byte[] TEXT =
      "the quick brown fox jumps over the lazy dog ".repeat(100).getBytes(StandardCharsets.UTF_8);

  @Test
  void gzipAndDeflate_roundTripAndShrinkRepetitiveData() {
    for (Compression c : Compression.values()) {
      byte[] compressed = c.compress(TEXT);
      assertThat(compressed.length).as(c.encoding()).isLessThan(TEXT.length / 10);
      assertThat(c.decompress(compressed, TEXT.length)).isEqualTo(TEXT);
    }
  }

  @Test
  void forEncoding_namesAndIdentity() {
    assertThat(Compression.forEncoding("gzip")).isEqualTo(Compression.GZIP);
    assertThat(Compression.forEncoding("DEFLATE")).isEqualTo(Compression.DEFLATE);
    assertThat(Compression.forEncoding("identity")).isNull();
    assertThat(Compression.forEncoding(null)).isNull();
    assertThatThrownBy(() -> Compression.forEncoding("snappy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snappy")
        .hasMessageContaining("gzip");
  }

  @Test
  void acceptedBy_readsTheCommaList() {
    assertThat(Compression.GZIP.acceptedBy("identity, gzip")).isTrue();
    assertThat(Compression.DEFLATE.acceptedBy("gzip")).isFalse();
    assertThat(Compression.GZIP.acceptedBy(null)).isFalse();
  }

  @Test
  void acceptedBy_readsHttpWeights_andTheWildcard() {
    assertThat(Compression.GZIP.acceptedBy("gzip;q=0.8, br")).isTrue();
    assertThat(Compression.GZIP.acceptedBy("br, GZIP ; q=1")).isTrue();
    assertThat(Compression.GZIP.acceptedBy("gzip;q=0, identity")).isFalse();
    assertThat(Compression.GZIP.acceptedBy("gzip; q=0.000")).isFalse();
    assertThat(Compression.GZIP.acceptedBy("gzip;q=high")).isFalse();
    assertThat(Compression.GZIP.acceptedBy("*")).isTrue();
    assertThat(Compression.GZIP.acceptedBy("*;q=0")).isFalse();
    assertThat(Compression.GZIP.acceptedBy("*, gzip;q=0")).isFalse();
    assertThat(Compression.DEFLATE.acceptedBy("*, gzip;q=0")).isTrue();
    assertThat(Compression.GZIP.acceptedBy("gzipped")).isFalse();
  }

  @Test
  void decompress_garbage_isInternal() {
    assertThatThrownBy(() -> Compression.GZIP.decompress(new byte[] {1, 2, 3}, 100))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().description())
                  .isEqualTo("Invalid gzip data in a gRPC message");
              assertThat(e.getCause()).isNotNull();
            });
  }
}
