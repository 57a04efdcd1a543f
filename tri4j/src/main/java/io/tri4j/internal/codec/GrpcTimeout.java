package io.tri4j.internal.codec;

import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc-timeout} header: at most eight ASCII digits followed by a unit, {@code H} hours,
 * {@code M} minutes, {@code S} seconds, {@code m} milliseconds, {@code u} microseconds or {@code n}
 * nanoseconds.
 */
public final class GrpcTimeout {
  private static final long MAX_VALUE = 99_999_999L;

  private GrpcTimeout() {}

  /** The header value for a positive timeout, in the finest unit that fits eight digits. */
  public static String encode(long nanos) {
    if (nanos <= 0) {
      return "1n";
    }
    long[] scales = {1, 1_000, 1_000_000, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
    char[] units = {'n', 'u', 'm', 'S', 'M', 'H'};
    for (int i = 0; i < scales.length; i++) {
      // Round up, so that the server never sees a shorter timeout than the client's.
      long value = (nanos + scales[i] - 1) / scales[i];
      if (value <= MAX_VALUE) {
        return value + String.valueOf(units[i]);
      }
    }
    return MAX_VALUE + "H";
  }

  /**
   * The timeout in nanoseconds.
   *
   * @throws IllegalArgumentException if the value is not a valid {@code grpc-timeout}
   */
  public static long decode(CharSequence value) {
    int n = value.length();
    if (n < 2 || n > 9) {
      throw new IllegalArgumentException("Invalid grpc-timeout: '" + value + "'");
    }
    long amount = 0;
    for (int i = 0; i < n - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("Invalid grpc-timeout: '" + value + "'");
      }
      amount = amount * 10 + (c - '0');
    }
    TimeUnit unit;
    switch (value.charAt(n - 1)) {
      case 'n':
        return amount;
      case 'u':
        unit = TimeUnit.MICROSECONDS;
        break;
      case 'm':
        unit = TimeUnit.MILLISECONDS;
        break;
      case 'S':
        unit = TimeUnit.SECONDS;
        break;
      case 'M':
        unit = TimeUnit.MINUTES;
        break;
      case 'H':
        unit = TimeUnit.HOURS;
        break;
      default:
        throw new IllegalArgumentException("Invalid grpc-timeout unit: '" + value + "'");
    }
    return unit.toNanos(amount);
  }
}
