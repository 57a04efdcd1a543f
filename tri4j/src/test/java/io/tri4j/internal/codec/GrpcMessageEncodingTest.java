package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GrpcMessageEncodingTest {
  private static String encoded(String description) {
    return new String(GrpcMessageEncoding.encode(description), StandardCharsets.US_ASCII);
  }

  @Test
  void encode_printableAscii_isUnchanged() {
    assertThat(encoded("Hello, world ~!")).isEqualTo("Hello, world ~!");
  }

  @Test
  void encode_percentAndNonAscii_arePercentEncodedUtf8() {
    assertThat(encoded("100%")).isEqualTo("100%25");
    assertThat(encoded("a+b")).isEqualTo("a%2Bb");
    assertThat(encoded("ü")).isEqualTo("%C3%BC");
    assertThat(encoded("a\nb")).isEqualTo("a%0Ab");
  }

  @Test
  void decode_roundTripsAnyText() {
    String text = "ungültig – 名前 ✗ 100% sûr \t\u0001";
    assertThat(GrpcMessageEncoding.decode(GrpcMessageEncoding.encode(text))).isEqualTo(text);
  }

  @Test
  void decode_malformedEscapes_areKept() {
    assertThat(GrpcMessageEncoding.decode("50%zz and %4".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("50%zz and %4");
  }

  @Test
  void decode_rawLatin1FromDubbo_isReadAsLatin1() {
    // Dubbo 3.3 writes "ü" as the single byte 0xFC: not valid UTF-8.
    assertThat(GrpcMessageEncoding.decode(new byte[] {'g', 'r', (byte) 0xFC, 'n'}))
        .isEqualTo("gr\u00fcn");
  }

  @Test
  void decode_rawUtf8FromPeersThatDoNotEncode_isRead() {
    // Dubbo 3.3 sends grpc-message as raw UTF-8.
    assertThat(GrpcMessageEncoding.decode("名前 ✗".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("名前 ✗");
  }
}
