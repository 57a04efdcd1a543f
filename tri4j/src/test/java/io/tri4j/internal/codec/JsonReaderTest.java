package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

  @Test
  void read_nestedDocument_givesMapsListsAndScalars() {
    Object value =
        JsonReader.read(
            " {\"a\": [1, -2.5e1, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": []} ");
    assertThat(value)
        .isEqualTo(
            Map.of(
                "a",
                java.util.Arrays.asList(1.0, -25.0, true, false, null),
                "b",
                Map.of("c", "d"),
                "e",
                List.of()));
  }

  @Test
  void read_escapes_areDecoded() {
    assertThat(JsonReader.read("\"q\\\" b\\\\ s\\/ \\n\\t \\u00fc \\ud83d\\ude00\""))
        .isEqualTo("q\" b\\ s/ \n\t ü \ud83d\ude00");
  }

  @Test
  void read_deepNesting_isAnError_notAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> JsonReader.read(deep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("levels of nesting");
    String allowed =
        "{\"a\":".repeat(JsonReader.MAX_DEPTH - 1) + "[]" + "}".repeat(JsonReader.MAX_DEPTH - 1);
    assertThat(JsonReader.read(allowed)).isInstanceOf(Map.class);
    // Siblings do not add up: depth is how deep, not how many.
    assertThat((List<?>) JsonReader.read("[" + "[],".repeat(1000) + "[]]")).hasSize(1001);
  }

  @Test
  void read_malformed_isAnErrorSayingWhere() {
    assertThatThrownBy(() -> JsonReader.read("{\"a\" 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Bad JSON at offset 5: expected ':'");
    assertThatThrownBy(() -> JsonReader.read("<html>"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonReader.read("\"open"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonReader.read("{} x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text after the value");
  }
}
