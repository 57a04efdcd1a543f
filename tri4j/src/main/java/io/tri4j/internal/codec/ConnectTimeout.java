package io.tri4j.internal.codec;

import java.util.concurrent.TimeUnit;

/** Connect's {@code connect-timeout-ms}: at most 10 ASCII digits of milliseconds. */
public final class ConnectTimeout {
  private ConnectTimeout() {}

  /**
   * The timeout in nanoseconds.
   *
   * @throws IllegalArgumentException if the value is not 1 to 10 digits
   */
  public static long decode(CharSequence value) {
    int length = value.length();
    if (length == 0 || length > 10) {
      throw invalid(value);
    }
    long millis = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw invalid(value);
      }
      millis = millis * 10 + (c - '0');
    }
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static IllegalArgumentException invalid(CharSequence value) {
    return new IllegalArgumentException(
        "Invalid connect-timeout-ms '" + value + "': send 1 to 10 digits of milliseconds");
  }
}
