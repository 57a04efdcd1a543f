package io.tri4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Headers or trailers of a call: an ordered multimap from lowercase ASCII keys to values. Keys
 * ending in {@code -bin} carry binary values (sent base64-encoded); all other keys carry printable
 * ASCII strings.
 *
 * <p>Keys that the protocol owns are reserved and rejected by {@link #put}: pseudo-headers ({@code
 * :path}), {@code grpc-*} (except {@link #STATUS_DETAILS_KEY}), {@code content-type}, {@code
 * content-length}, {@code te}, {@code user-agent}, the connection-specific HTTP headers, and the
 * {@code tri-service-version}, {@code tri-service-group} and {@code tri-consumer-appname} headers
 * that tri4j sets from its configuration. Received metadata leaves them out too.
 *
 * <p>Not thread-safe.
 */
public final class Metadata {
  /** The suffix of keys with binary values. */
  public static final String BINARY_SUFFIX = "-bin";

  /** The reserved keys besides pseudo-headers and {@code grpc-*}, by length. */
  private static final String[][] RESERVED_BY_LENGTH =
      byLength(
          "content-type",
          "content-length",
          "te",
          "user-agent",
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "upgrade",
          "host",
          "tri-service-version",
          "tri-service-group",
          "tri-consumer-appname");

  private static String[][] byLength(String... keys) {
    int longest = 0;
    for (String key : keys) {
      longest = Math.max(longest, key.length());
    }
    String[][] byLength = new String[longest + 1][0];
    for (String key : keys) {
      String[] same = Arrays.copyOf(byLength[key.length()], byLength[key.length()].length + 1);
      same[same.length - 1] = key;
      byLength[key.length()] = same;
    }
    return byLength;
  }

  private static final Object[] NONE = {};

  /**
   * Key, value, key, value...: one array rather than two lists, as most calls carry no metadata and
   * each makes several of these. Values are strings or byte arrays.
   */
  private Object[] entries = NONE;

  private int size;

  /** Empty metadata. */
  public Metadata() {}

  /** A copy of {@code other}. */
  public Metadata(Metadata other) {
    merge(other);
  }

  /**
   * The trailer that carries rich error details (a serialized {@code google.rpc.Status}); with
   * {@link #TRACE_KEY}, a {@code grpc-} key that users may set and read.
   */
  public static final String STATUS_DETAILS_KEY = "grpc-status-details-bin";

  /**
   * The request header in which OpenCensus-era gRPC clients send their trace context (binary); with
   * {@link #STATUS_DETAILS_KEY}, a {@code grpc-} key that users may set and read.
   */
  public static final String TRACE_KEY = "grpc-trace-bin";

  /**
   * Whether a key is owned by the protocol and cannot be set by users (ignoring case; a received
   * header name is checked as it is, without making a string of it).
   */
  public static boolean isReserved(CharSequence key) {
    int length = key.length();
    if (length == 0) {
      return false;
    }
    char first = key.charAt(0);
    if (first == ':') {
      return true;
    }
    if ((first == 'g' || first == 'G') && regionMatchesIgnoreCase(key, "grpc-")) {
      return !(length == STATUS_DETAILS_KEY.length()
              && regionMatchesIgnoreCase(key, STATUS_DETAILS_KEY))
          && !(length == TRACE_KEY.length() && regionMatchesIgnoreCase(key, TRACE_KEY));
    }
    if (length < RESERVED_BY_LENGTH.length) {
      for (String reserved : RESERVED_BY_LENGTH[length]) {
        if (regionMatchesIgnoreCase(key, reserved)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code key} starts with {@code lowerCase}, ignoring the case of ASCII letters. */
  private static boolean regionMatchesIgnoreCase(CharSequence key, String lowerCase) {
    if (key.length() < lowerCase.length()) {
      return false;
    }
    for (int i = 0; i < lowerCase.length(); i++) {
      char c = key.charAt(i);
      if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != lowerCase.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds an ASCII value.
   *
   * @throws IllegalArgumentException if the key is invalid, reserved or ends in {@code -bin}, or
   *     the value is not printable ASCII
   */
  public Metadata put(String key, String value) {
    String k = checkKey(key);
    if (k.endsWith(BINARY_SUFFIX)) {
      throw new IllegalArgumentException("Key '" + key + "' is binary: use putBinary");
    }
    Objects.requireNonNull(value, "value");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(
            "Value of '" + key + "' must be printable ASCII; use a -bin key for other bytes");
      }
    }
    add(k, value);
    return this;
  }

  /**
   * Adds a binary value under a key ending in {@code -bin}.
   *
   * @throws IllegalArgumentException if the key is invalid, reserved or does not end in {@code
   *     -bin}
   */
  public Metadata putBinary(String key, byte[] value) {
    String k = checkKey(key);
    if (!k.endsWith(BINARY_SUFFIX)) {
      throw new IllegalArgumentException("Binary key '" + key + "' must end in -bin");
    }
    add(k, Objects.requireNonNull(value, "value").clone());
    return this;
  }

  private void add(String key, Object value) {
    if (2 * size == entries.length) {
      entries = Arrays.copyOf(entries, Math.max(8, 2 * entries.length));
    }
    entries[2 * size] = key;
    entries[2 * size + 1] = value;
    size++;
  }

  private String key(int i) {
    return (String) entries[2 * i];
  }

  private Object value(int i) {
    return entries[2 * i + 1];
  }

  private static String checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("Empty metadata key");
    }
    String k = key.toLowerCase(Locale.ROOT);
    if (isReserved(k)) {
      throw new IllegalArgumentException("Metadata key '" + key + "' is reserved by the protocol");
    }
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            "Invalid metadata key '" + key + "': use a-z, 0-9, '-', '_' and '.'");
      }
    }
    return k;
  }

  /** The first ASCII value of {@code key}, or {@code null}. */
  public String get(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k) && value(i) instanceof String) {
        return (String) value(i);
      }
    }
    return null;
  }

  /** Every ASCII value of {@code key}, in order. */
  public List<String> getAll(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    List<String> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k) && value(i) instanceof String) {
        all.add((String) value(i));
      }
    }
    return all;
  }

  /** The first binary value of {@code key}, or {@code null}. */
  public byte[] getBinary(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k) && value(i) instanceof byte[]) {
        return ((byte[]) value(i)).clone();
      }
    }
    return null;
  }

  /** Every binary value of {@code key}, in order. */
  public List<byte[]> getAllBinary(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k) && value(i) instanceof byte[]) {
        all.add(((byte[]) value(i)).clone());
      }
    }
    return all;
  }

  /** Whether {@code key} has at least one value. */
  public boolean containsKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (int i = 0; i < size; i++) {
      if (key(i).equals(k)) {
        return true;
      }
    }
    return false;
  }

  /** Removes every value of {@code key}. */
  public Metadata remove(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!key(i).equals(k)) {
        entries[2 * kept] = entries[2 * i];
        entries[2 * kept + 1] = entries[2 * i + 1];
        kept++;
      }
    }
    Arrays.fill(entries, 2 * kept, 2 * size, null);
    size = kept;
    return this;
  }

  /** Adds every entry of {@code other}. */
  public Metadata merge(Metadata other) {
    int n = other.size; // other may be this
    for (int i = 0; i < n; i++) {
      Object v = other.value(i);
      add(other.key(i), v instanceof byte[] ? ((byte[]) v).clone() : v);
    }
    return this;
  }

  /** The distinct keys, in the order first added. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      keys.add(key(i));
    }
    return Collections.unmodifiableSet(keys);
  }

  /** Whether there are no entries. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The number of entries, counting each value of a repeated key. */
  public int size() {
    return size;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = value(i);
      sb.append(key(i)).append('=').append(v instanceof byte[] ? Arrays.toString((byte[]) v) : v);
    }
    return sb.append('}').toString();
  }
}
