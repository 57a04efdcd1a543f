package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

class RepeatedStringsTest {
  private final RepeatedStrings strings = new RepeatedStrings();

  @Test
  void aValueThatRepeats_getsTheSameString_whateverItsForm() {
    String first = strings.of(new AsciiString("/pkg.Svc/Method"));
    assertThat(first).isEqualTo("/pkg.Svc/Method");
    assertThat(strings.of(new AsciiString("/pkg.Svc/Method"))).isSameAs(first);
    assertThat(strings.of("/pkg.Svc/Method")).isSameAs(first);
    assertThat(strings.of(new StringBuilder("/pkg.Svc/Method"))).isSameAs(first);
  }

  @Test
  void differentValues_getTheirOwnStrings_andNullStaysNull() {
    String a = strings.of(new AsciiString("/pkg.Svc/A"));
    String b = strings.of(new AsciiString("/pkg.Svc/B"));
    assertThat(a).isEqualTo("/pkg.Svc/A");
    assertThat(b).isEqualTo("/pkg.Svc/B");
    assertThat(strings.of(new AsciiString("/pkg.Svc/A"))).isSameAs(a);
    assertThat(strings.of(null)).isNull();
  }

  @Test
  void aMutableValue_isNotKept_soChangingItLaterChangesNothing() {
    StringBuilder value = new StringBuilder("host:1");
    String kept = strings.of(value);
    value.setCharAt(5, '2');
    assertThat(strings.of(new AsciiString("host:1"))).isSameAs(kept);
    assertThat(strings.of(value)).isEqualTo("host:2");
  }

  @Test
  void aLongValue_isNotKept() {
    String path = "/" + "x".repeat(RepeatedStrings.MAX_LENGTH);
    String first = strings.of(new AsciiString(path));
    assertThat(first).isEqualTo(path);
    assertThat(strings.of(new AsciiString(path))).isEqualTo(path).isNotSameAs(first);
  }

  @Test
  void manyValues_keepOnlyTheLatestFew_theOldestMakesRoom() {
    String first = strings.of(new AsciiString("/v/0"));
    for (int i = 1; i <= 8; i++) {
      strings.of(new AsciiString("/v/" + i));
    }
    String again = strings.of(new AsciiString("/v/0"));
    assertThat(again).isEqualTo(first).isNotSameAs(first); // pushed out, made anew
    assertThat(strings.of(new AsciiString("/v/8"))).isSameAs(strings.of("/v/8"));
  }
}
