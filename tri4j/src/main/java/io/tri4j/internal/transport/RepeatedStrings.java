package io.tri4j.internal.transport;

import io.netty.util.AsciiString;

/**
 * The strings of header values that one connection sends again and again, such as its requests'
 * {@code :path} and {@code :authority}: each is made once and handed out again while it repeats,
 * instead of one new string (and its hash, when it is looked up) per request. A few of the latest
 * values are kept, so a client that calls several methods in turn still finds its paths; the oldest
 * makes room for a new one. Values longer than {@link #MAX_LENGTH} are not kept. One per
 * connection; used on its event loop only.
 */
final class RepeatedStrings {
  private static final int SLOTS = 8;

  /** Longer values are not kept: a connection holds at most eight of this many characters. */
  static final int MAX_LENGTH = 256;

  private final CharSequence[] values = new CharSequence[SLOTS];
  private final String[] strings = new String[SLOTS];
  private int next;

  /** The string of {@code value}, the same one as for an equal value before; null for null. */
  String of(CharSequence value) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < SLOTS; i++) {
      CharSequence known = values[i];
      if (known == null) {
        break; // slots fill in order
      }
      if (AsciiString.contentEquals(known, value)) {
        return strings[i];
      }
    }
    String string = value.toString();
    if (string.length() > MAX_LENGTH) {
      return string;
    }
    // An AsciiString kept compares with the next one byte for byte; anything else by its string.
    values[next] = value instanceof AsciiString ? value : string;
    strings[next] = string;
    next = (next + 1) % SLOTS;
    return string;
  }
}
