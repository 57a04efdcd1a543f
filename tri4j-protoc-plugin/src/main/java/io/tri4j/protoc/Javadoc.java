package io.tri4j.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import java.util.ArrayList;
import java.util.List;

/** The comments of a .proto file, as Javadoc paragraphs for the code generated from it. */
final class Javadoc {
  /** Field numbers in {@code FileDescriptorProto} and {@code ServiceDescriptorProto}. */
  private static final int SERVICE_FIELD = 6;

  private static final int METHOD_FIELD = 2;

  private final SourceCodeInfo info;

  Javadoc(FileDescriptorProto file) {
    this.info = file.getSourceCodeInfo();
  }

  /** The lines of the comment before service {@code service}; empty if none. */
  List<String> service(int service) {
    return comment(List.of(SERVICE_FIELD, service));
  }

  /** The lines of the comment before method {@code method} of service {@code service}. */
  List<String> method(int service, int method) {
    return comment(List.of(SERVICE_FIELD, service, METHOD_FIELD, method));
  }

  private List<String> comment(List<Integer> path) {
    for (SourceCodeInfo.Location location : info.getLocationList()) {
      if (location.getPathList().equals(path) && location.hasLeadingComments()) {
        return lines(location.getLeadingComments());
      }
    }
    return List.of();
  }

  /**
   * The comment's lines, escaped for Javadoc, with the one space after {@code //} and blank lines
   * at either end removed; a line after a blank line starts a paragraph.
   */
  static List<String> lines(String comment) {
    List<String> lines = new ArrayList<>();
    boolean seenText = false;
    for (String line : comment.split("\n", -1)) {
      String text = escape((line.startsWith(" ") ? line.substring(1) : line).stripTrailing());
      boolean afterBlank = seenText && lines.get(lines.size() - 1).isEmpty();
      lines.add(afterBlank && !text.isEmpty() ? "<p>" + text : text);
      seenText |= !text.isEmpty();
    }
    while (!lines.isEmpty() && lines.get(0).isEmpty()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /**
   * Proto comments are plain text: HTML, Javadoc tags, the end of the comment and unicode escapes
   * (which javac reads even in comments) are written as entities.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '@' -> out.append("&#64;");
        case '\\' -> out.append("&#92;");
        case '*' -> out.append(i + 1 < text.length() && text.charAt(i + 1) == '/' ? "&#42;" : "*");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
