package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataTest {
  @Test
  void put_keepsOrderAndRepeats_caseInsensitiveKeys() {
    Metadata m = new Metadata().put("X-A", "1").put("x-b", "2").put("x-a", "3");
    assertThat(m.getAll("x-a")).containsExactly("1", "3");
    assertThat(m.get("X-A")).isEqualTo("1");
    assertThat(m.keys()).containsExactly("x-a", "x-b");
    assertThat(m.size()).isEqualTo(3);
  }

  @Test
  void binary_onlyUnderBinKeys_andCopiedDefensively() {
    byte[] value = {1, 2, 3};
    Metadata m = new Metadata().putBinary("x-data-bin", value);
    value[0] = 9;
    assertThat(m.getBinary("x-data-bin")).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> m.putBinary("x-data", value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-bin");
    assertThatThrownBy(() -> m.put("x-data-bin", "text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("putBinary");
  }

  @Test
  void reservedKeys_areRejectedWithReason() {
    for (String key :
        new String[] {
          ":path",
          "grpc-status",
          "grpc-timeout",
          "content-type",
          "te",
          "user-agent",
          "connection",
          "tri-service-version"
        }) {
      assertThatThrownBy(() -> new Metadata().put(key, "v"))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reserved");
    }
  }

  @Test
  void isReserved_ignoresCase_takesHeaderNamesAsTheyCome_andSparesStatusDetailsAndTrace() {
    for (CharSequence key :
        List.<CharSequence>of(
            ":authority",
            "Grpc-Timeout",
            "grpc-",
            "grpc-tags-bin",
            "CONTENT-TYPE",
            "te",
            AsciiString.of("user-agent"),
            "Content-Length", // HTTP framing: a wrong one breaks the stream
            "Host",
            AsciiString.of("tri-consumer-appname"))) {
      assertThat(Metadata.isReserved(key)).as("%s", key).isTrue();
    }
    for (CharSequence key :
        List.<CharSequence>of(
            "grpc-status-details-bin",
            "GRPC-STATUS-DETAILS-BIN",
            "grpc-trace-bin",
            "x-request-id",
            "grpc",
            "tea",
            "t",
            "",
            AsciiString.of("content-type-x"),
            "content-typf", // the length of a reserved key, not its name
            "x-a-key-longer-than-every-reserved-one",
            "my-grpc-thing")) {
      assertThat(Metadata.isReserved(key)).as("%s", key).isFalse();
    }
  }

  @Test
  void invalidKeysAndValues_areRejected() {
    assertThatThrownBy(() -> new Metadata().put("bad key", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Metadata().put("x-a", "caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-bin");
  }

  @Test
  void copyAndMerge_areIndependent() {
    Metadata a = new Metadata().put("x-a", "1");
    Metadata copy = new Metadata(a);
    copy.put("x-b", "2");
    assertThat(a.containsKey("x-b")).isFalse();
    a.merge(copy);
    assertThat(a.getAll("x-a")).containsExactly("1", "1");
    assertThat(a.remove("x-a").keys()).containsExactly("x-b");
  }

  @Test
  void remove_ofManyEntries_keepsTheOthersInOrder() {
    Metadata m = new Metadata();
    for (int i = 0; i < 10; i++) {
      m.put(i % 2 == 0 ? "x-even" : "x-odd-" + i, Integer.toString(i));
    }
    m.remove("x-even");
    assertThat(m.size()).isEqualTo(5);
    assertThat(m.keys()).containsExactly("x-odd-1", "x-odd-3", "x-odd-5", "x-odd-7", "x-odd-9");
    assertThat(m.get("x-odd-9")).isEqualTo("9");
    assertThat(m.containsKey("x-even")).isFalse();
    m.put("x-even", "10");
    assertThat(m.getAll("x-even")).containsExactly("10");
  }

  @Test
  void merge_withItself_doublesEveryEntryOnce() {
    Metadata m = new Metadata().put("x-a", "1").putBinary("x-b-bin", new byte[] {2});
    m.merge(m);
    assertThat(m.size()).isEqualTo(4);
    assertThat(m.getAll("x-a")).containsExactly("1", "1");
    assertThat(m.getAllBinary("x-b-bin")).hasSize(2);
  }
}
