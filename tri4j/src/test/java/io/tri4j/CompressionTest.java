package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request and response compression over a real connection. */
@Timeout(30)
class CompressionTest {
  @RegisterExtension static final ContextServerExtension ctx = new ContextServerExtension();

  @Test
  void urlParameter_compressesRequests() {
    try (Client gzip = ctx.newClient("?compression=gzip");
        Client plain = ctx.newClient("")) {
      assertThat(gzip.unary("compressed", EchoService.SER, EchoService.DES).call("x"))
          .isEqualTo("compressed=true");
      assertThat(plain.unary("compressed", EchoService.SER, EchoService.DES).call("x"))
          .isEqualTo("compressed=false");
    }
  }

  @Test
  void callOptions_chooseTheCompression_perCall() {
    try (Client client = ctx.newClient("?compression=gzip")) {
      UnaryCallable<String, String> call =
          client.unary("compressed", EchoService.SER, EchoService.DES);
      assertThat(call.call("x", CallOptions.DEFAULT.withCompression("deflate")))
          .isEqualTo("compressed=true");
      assertThat(call.call("x", CallOptions.DEFAULT.withCompression("identity")))
          .isEqualTo("compressed=false");
    }
  }

  @Test
  void streaming_messageCompressionCanBeTurnedOffPerMessage() {
    try (Client client = ctx.newClient("")) {
      StreamingCall<String, String> call =
          client
              .bidiStream("compressedStream", EchoService.SER, EchoService.DES)
              .call(CallOptions.DEFAULT.withCompression("gzip"));
      call.write("a");
      call.setMessageCompression(false);
      call.write("b");
      call.setMessageCompression(true);
      call.write("c");
      call.doneWriting();
      assertThat(List.of(call.read(), call.read(), call.read()))
          .containsExactly("a:true", "b:false", "c:true");
    }
  }

  @Test
  void handlerChoosesResponseCompression_clientDecompresses() {
    try (Client client = ctx.newClient("")) {
      UnaryCallable<String, String> call =
          client.unary("compressReply", EchoService.SER, EchoService.DES);
      assertThat(call.call("gzip")).hasSize(10_000);
      assertThat(call.call("deflate")).hasSize(10_000);
      assertThat(call.call("identity")).hasSize(10_000);
    }
  }

  @Test
  void unsupportedCompression_isRejectedWithTheSupportedList() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.withCompression("brotli"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gzip");
    assertThatThrownBy(() -> ctx.newClient("?compression=lz4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lz4");
  }
}
