package io.tri4j.internal.transport;

import io.netty.util.AsciiString;

/** Matching a request's {@code content-type} against the types a server serves. */
final class ContentType {
  private ContentType() {}

  /**
   * Which of {@code served} (lower case, without parameters) {@code contentType} is, ignoring case,
   * parameters and surrounding blanks; null if none. Compares in place: no string is made per
   * request.
   */
  static AsciiString match(CharSequence contentType, AsciiString[] served) {
    if (contentType == null) {
      return null;
    }
    int end = contentType.length();
    for (int i = 0; i < end; i++) {
      if (contentType.charAt(i) == ';') {
        end = i;
        break;
      }
    }
    int start = 0;
    while (start < end && contentType.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && contentType.charAt(end - 1) <= ' ') {
      end--;
    }
    int length = end - start;
    for (AsciiString type : served) {
      if (type.length() == length
          && AsciiString.regionMatches(contentType, true, start, type, 0, length)) {
        return type;
      }
    }
    return null;
  }
}
