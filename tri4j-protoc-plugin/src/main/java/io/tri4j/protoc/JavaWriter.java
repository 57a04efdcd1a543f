package io.tri4j.protoc;

import java.util.List;

/**
 * Java source text with google-java-format's layout where it matters to a reader: two-space
 * indents, Javadoc wrapped at 100 columns, and a declaration whose line would pass 100 columns
 * broken into one parameter a line.
 */
final class JavaWriter {
  private static final int WIDTH = 100;

  private final StringBuilder text = new StringBuilder();
  private int indent;

  /** Writes a line at the current indent. */
  void line(String line) {
    text.append("  ".repeat(indent)).append(line).append('\n');
  }

  void blank() {
    text.append('\n');
  }

  /** Writes {@code line}, which opens a block, and indents what follows. */
  void open(String line) {
    line(line);
    indent++;
  }

  /** Ends the block opened last. */
  void close() {
    indent--;
    line("}");
  }

  /**
   * Writes a declaration: {@code head(parameters)tail}, on one line if it fits, else with one
   * parameter a line. A {@code tail} that ends with {@code "{"} opens a block.
   */
  void declaration(String head, List<String> parameters, String tail) {
    String oneLine = head + "(" + String.join(", ", parameters) + ")" + tail;
    if (parameters.isEmpty() || indent * 2 + oneLine.length() <= WIDTH) {
      line(oneLine);
    } else {
      line(head + "(");
      for (int i = 0; i < parameters.size(); i++) {
        boolean last = i == parameters.size() - 1;
        line("    " + parameters.get(i) + (last ? ")" + tail : ","));
      }
    }
    if (tail.endsWith("{")) {
      indent++;
    }
  }

  /**
   * A Javadoc comment of {@code paragraphs}: each is wrapped; an empty one is a blank line (a
   * following paragraph should start with {@code <p>} or a block tag).
   */
  void javadoc(List<String> paragraphs) {
    int width = WIDTH - indent * 2 - 3;
    if (paragraphs.size() == 1 && paragraphs.get(0).length() + 4 <= width - 3) {
      line("/** " + paragraphs.get(0) + " */");
      return;
    }
    line("/**");
    for (String paragraph : paragraphs) {
      if (paragraph.isEmpty()) {
        line(" *");
        continue;
      }
      StringBuilder current = new StringBuilder();
      for (String word : paragraph.split(" ")) {
        if (current.length() > 0 && current.length() + 1 + word.length() > width) {
          line(" * " + current);
          current.setLength(0);
        }
        current.append(current.length() > 0 ? " " : "").append(word);
      }
      line(" * " + current);
    }
    line(" */");
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
