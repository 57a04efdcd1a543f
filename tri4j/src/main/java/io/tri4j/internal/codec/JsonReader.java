package io.tri4j.internal.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the small JSON documents of a protocol (Connect's errors and end-of-stream messages) into
 * maps, lists, strings, numbers (as {@code Double}), booleans and null, without a JSON library: the
 * core does not depend on one.
 */
final class JsonReader {
  /**
   * How deep objects and arrays may nest: a protocol's documents are a few levels deep, and each
   * level is a frame of this reader's stack (a peer's "[[[[..." must not overflow it).
   */
  static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;
  private int depth;

  private JsonReader(String text) {
    this.text = text;
  }

  /**
   * The value {@code text} holds.
   *
   * @throws IllegalArgumentException if it is not one JSON value
   */
  static Object read(String text) {
    JsonReader reader = new JsonReader(text);
    Object value = reader.value();
    reader.blanks();
    if (reader.pos != text.length()) {
      throw reader.error("text after the value");
    }
    return value;
  }

  private Object value() {
    blanks();
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    if ((c == '{' || c == '[') && ++depth > MAX_DEPTH) {
      throw error("no more than " + MAX_DEPTH + " levels of nesting");
    }
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++; // {
    blanks();
    if (peek('}')) {
      pos++;
      depth--;
      return map;
    }
    while (true) {
      blanks();
      if (!peek('"')) {
        throw error("a member name");
      }
      String name = string();
      blanks();
      expect(':');
      map.put(name, value());
      blanks();
      if (peek(',')) {
        pos++;
      } else {
        expect('}');
        depth--;
        return map;
      }
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    pos++; // [
    blanks();
    if (peek(']')) {
      pos++;
      depth--;
      return list;
    }
    while (true) {
      list.add(value());
      blanks();
      if (peek(',')) {
        pos++;
      } else {
        expect(']');
        depth--;
        return list;
      }
    }
  }

  private String string() {
    pos++; // "
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("four hex digits");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException notHex) {
            throw error("four hex digits");
          }
          pos += 4;
        }
        default -> throw error("an escape");
      }
    }
    throw error("the end of a string");
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error(word);
    }
    pos += word.length();
    return value;
  }

  private Double number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    try {
      return Double.valueOf(text.substring(start, pos));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("a value");
    }
  }

  private void blanks() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("Bad JSON at offset " + pos + ": expected " + expected);
  }
}
