package io.tri4j.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavadocTest {

  @Test
  void escape_markupTagsEndOfCommentAndUnicodeEscape_entities() {
    assertThat(Javadoc.escape("a <b> & @see */ \\u0041 * /"))
        .isEqualTo("a &lt;b&gt; &amp; &#64;see &#42;/ &#92;u0041 * /");
  }

  @Test
  void lines_protoComment_spaceAfterSlashesAndBlankEndsDropped() {
    assertThat(Javadoc.lines(" First line.\n  Indented.\n\n Second paragraph.\n\n"))
        .containsExactly("First line.", " Indented.", "", "<p>Second paragraph.");
  }
}
