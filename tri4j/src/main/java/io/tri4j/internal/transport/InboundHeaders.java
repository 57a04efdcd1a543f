package io.tri4j.internal.transport;

import io.netty.handler.codec.CharSequenceValueConverter;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The headers of one received HEADERS frame, as HPACK decodes them: names and values side by side
 * in one array, in arrival order (pseudo-headers first). A gRPC request carries about ten headers
 * and each is read once or twice, so a scan of the array finds a name as fast as a hash table
 * would, without the table and an entry object per header that Netty's {@link DefaultHttp2Headers}
 * makes for every frame. Names are compared case-sensitively, as in {@code DefaultHttp2Headers}:
 * HTTP/2 field names are lower case.
 *
 * <p>Every method of {@link Http2Headers} works; the ones HTTP/2 reading needs (adding as HPACK
 * decodes, lookups, Netty's normalizing of {@code content-length} with {@code setLong}) do not
 * allocate beyond the array. Names are validated as {@code DefaultHttp2Headers} validates them when
 * {@code validate} is set: a malformed name is a connection error (PROTOCOL_ERROR). Not safe for
 * use by several threads at once.
 */
final class InboundHeaders implements Http2Headers {
  private static final DefaultHeaders.NameValidator<CharSequence> NAMES =
      DefaultHttp2Headers.defaultHtt2NameValidator();

  private static final CharSequenceValueConverter CONVERT = CharSequenceValueConverter.INSTANCE;

  private final boolean validate;

  /** Name, value, name, value...: {@code length / 2} headers. */
  private CharSequence[] slots;

  private int length;

  /** Headers whose names {@code validate} decides whether to check, room for {@code expected}. */
  InboundHeaders(boolean validate, int expected) {
    this.validate = validate;
    this.slots = new CharSequence[2 * Math.max(expected, 4)];
  }

  /** The name of the {@code i}th header, in arrival order. */
  CharSequence name(int i) {
    return slots[2 * i];
  }

  /** The value of the {@code i}th header. */
  CharSequence value(int i) {
    return slots[2 * i + 1];
  }

  private int find(CharSequence name, int from) {
    for (int i = from; i < length; i += 2) {
      if (AsciiString.contentEquals(name, slots[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public CharSequence get(CharSequence name) {
    int i = find(name, 0);
    return i < 0 ? null : slots[i + 1];
  }

  @Override
  public CharSequence get(CharSequence name, CharSequence defaultValue) {
    CharSequence value = get(name);
    return value == null ? defaultValue : value;
  }

  @Override
  public List<CharSequence> getAll(CharSequence name) {
    int i = find(name, 0);
    if (i < 0) {
      return List.of(); // Netty asks every request for its content-length values
    }
    CharSequence[] values = new CharSequence[size()];
    int n = 0;
    for (; i >= 0; i = find(name, i + 2)) {
      values[n++] = slots[i + 1];
    }
    return List.of(Arrays.copyOf(values, n));
  }

  @Override
  public Iterator<CharSequence> valueIterator(CharSequence name) {
    return getAll(name).iterator();
  }

  @Override
  public boolean contains(CharSequence name) {
    return find(name, 0) >= 0;
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value) {
    return contains(name, value, false);
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value, boolean caseInsensitive) {
    for (int i = find(name, 0); i >= 0; i = find(name, i + 2)) {
      if (caseInsensitive
          ? AsciiString.contentEqualsIgnoreCase(value, slots[i + 1])
          : AsciiString.contentEquals(value, slots[i + 1])) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int size() {
    return length / 2;
  }

  @Override
  public boolean isEmpty() {
    return length == 0;
  }

  @Override
  public Set<CharSequence> names() {
    Set<CharSequence> names = new LinkedHashSet<>();
    for (int i = 0; i < length; i += 2) {
      names.add(slots[i]);
    }
    return names;
  }

  @Override
  public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < length;
      }

      @Override
      public Map.Entry<CharSequence, CharSequence> next() {
        if (next >= length) {
          throw new NoSuchElementException();
        }
        Map.Entry<CharSequence, CharSequence> entry = Map.entry(slots[next], slots[next + 1]);
        next += 2;
        return entry;
      }
    };
  }

  // Adding, setting and removing.

  @Override
  public Http2Headers add(CharSequence name, CharSequence value) {
    if (validate) {
      NAMES.validateName(name);
    }
    Objects.requireNonNull(value, "value");
    if (length == slots.length) {
      slots = Arrays.copyOf(slots, 2 * length);
    }
    int at = length;
    if (isPseudo(name)) {
      // Pseudo-headers go before the rest, as in DefaultHttp2Headers.
      at = 0;
      while (at < length && isPseudo(slots[at])) {
        at += 2;
      }
      System.arraycopy(slots, at, slots, at + 2, length - at);
    }
    slots[at] = name;
    slots[at + 1] = value;
    length += 2;
    return this;
  }

  private static boolean isPseudo(CharSequence name) {
    return name.length() > 0 && name.charAt(0) == ':';
  }

  @Override
  public Http2Headers add(CharSequence name, Iterable<? extends CharSequence> values) {
    for (CharSequence value : values) {
      add(name, value);
    }
    return this;
  }

  @Override
  public Http2Headers add(CharSequence name, CharSequence... values) {
    return add(name, Arrays.asList(values));
  }

  @Override
  public Http2Headers add(Headers<? extends CharSequence, ? extends CharSequence, ?> headers) {
    if (headers == this) {
      throw new IllegalArgumentException("can't add to itself");
    }
    for (Map.Entry<? extends CharSequence, ? extends CharSequence> e : headers) {
      add(e.getKey(), e.getValue());
    }
    return this;
  }

  @Override
  public boolean remove(CharSequence name) {
    return removeFrom(name, 0);
  }

  /** Removes the headers named {@code name} at slot {@code from} or later. */
  private boolean removeFrom(CharSequence name, int from) {
    int kept = from;
    for (int i = from; i < length; i += 2) {
      if (!AsciiString.contentEquals(name, slots[i])) {
        slots[kept++] = slots[i];
        slots[kept++] = slots[i + 1];
      }
    }
    boolean removed = kept < length;
    Arrays.fill(slots, kept, length, null);
    length = kept;
    return removed;
  }

  /** Sets the first header named {@code name} in place (the common case: there is one). */
  @Override
  public Http2Headers set(CharSequence name, CharSequence value) {
    int i = find(name, 0);
    if (i < 0) {
      return add(name, value);
    }
    slots[i + 1] = Objects.requireNonNull(value, "value");
    removeFrom(name, i + 2);
    return this;
  }

  @Override
  public Http2Headers set(CharSequence name, Iterable<? extends CharSequence> values) {
    remove(name);
    return add(name, values);
  }

  @Override
  public Http2Headers set(CharSequence name, CharSequence... values) {
    remove(name);
    return add(name, values);
  }

  @Override
  public Http2Headers set(Headers<? extends CharSequence, ? extends CharSequence, ?> headers) {
    if (headers != this) {
      clear();
      add(headers);
    }
    return this;
  }

  @Override
  public Http2Headers setAll(Headers<? extends CharSequence, ? extends CharSequence, ?> headers) {
    if (headers != this) {
      for (CharSequence name : headers.names()) {
        remove(name);
      }
      add(headers);
    }
    return this;
  }

  @Override
  public Http2Headers clear() {
    Arrays.fill(slots, 0, length, null);
    length = 0;
    return this;
  }

  @Override
  public CharSequence getAndRemove(CharSequence name) {
    CharSequence value = get(name);
    remove(name);
    return value;
  }

  @Override
  public CharSequence getAndRemove(CharSequence name, CharSequence defaultValue) {
    CharSequence value = getAndRemove(name);
    return value == null ? defaultValue : value;
  }

  @Override
  public List<CharSequence> getAllAndRemove(CharSequence name) {
    List<CharSequence> values = getAll(name);
    remove(name);
    return values;
  }

  // Pseudo-headers.

  @Override
  public Http2Headers method(CharSequence value) {
    return set(PseudoHeaderName.METHOD.value(), value);
  }

  @Override
  public Http2Headers scheme(CharSequence value) {
    return set(PseudoHeaderName.SCHEME.value(), value);
  }

  @Override
  public Http2Headers authority(CharSequence value) {
    return set(PseudoHeaderName.AUTHORITY.value(), value);
  }

  @Override
  public Http2Headers path(CharSequence value) {
    return set(PseudoHeaderName.PATH.value(), value);
  }

  @Override
  public Http2Headers status(CharSequence value) {
    return set(PseudoHeaderName.STATUS.value(), value);
  }

  @Override
  public CharSequence method() {
    return get(PseudoHeaderName.METHOD.value());
  }

  @Override
  public CharSequence scheme() {
    return get(PseudoHeaderName.SCHEME.value());
  }

  @Override
  public CharSequence authority() {
    return get(PseudoHeaderName.AUTHORITY.value());
  }

  @Override
  public CharSequence path() {
    return get(PseudoHeaderName.PATH.value());
  }

  @Override
  public CharSequence status() {
    return get(PseudoHeaderName.STATUS.value());
  }

  // Typed values, converted as DefaultHttp2Headers converts them: null (or the default) for a
  // missing header or one that does not convert.

  private <T> T typed(CharSequence name, Function<CharSequence, T> convert) {
    CharSequence value = get(name);
    if (value == null) {
      return null;
    }
    try {
      return convert.apply(value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private <T> T typedAndRemove(CharSequence name, Function<CharSequence, T> convert) {
    T value = typed(name, convert);
    remove(name);
    return value;
  }

  private static <T> T orElse(T value, T defaultValue) {
    return value == null ? defaultValue : value;
  }

  @Override
  public Boolean getBoolean(CharSequence name) {
    return typed(name, CONVERT::convertToBoolean);
  }

  @Override
  public boolean getBoolean(CharSequence name, boolean defaultValue) {
    return orElse(getBoolean(name), defaultValue);
  }

  @Override
  public Byte getByte(CharSequence name) {
    return typed(name, CONVERT::convertToByte);
  }

  @Override
  public byte getByte(CharSequence name, byte defaultValue) {
    return orElse(getByte(name), defaultValue);
  }

  @Override
  public Character getChar(CharSequence name) {
    return typed(name, CONVERT::convertToChar);
  }

  @Override
  public char getChar(CharSequence name, char defaultValue) {
    return orElse(getChar(name), defaultValue);
  }

  @Override
  public Short getShort(CharSequence name) {
    return typed(name, CONVERT::convertToShort);
  }

  @Override
  public short getShort(CharSequence name, short defaultValue) {
    return orElse(getShort(name), defaultValue);
  }

  @Override
  public Integer getInt(CharSequence name) {
    return typed(name, CONVERT::convertToInt);
  }

  @Override
  public int getInt(CharSequence name, int defaultValue) {
    return orElse(getInt(name), defaultValue);
  }

  @Override
  public Long getLong(CharSequence name) {
    return typed(name, CONVERT::convertToLong);
  }

  @Override
  public long getLong(CharSequence name, long defaultValue) {
    return orElse(getLong(name), defaultValue);
  }

  @Override
  public Float getFloat(CharSequence name) {
    return typed(name, CONVERT::convertToFloat);
  }

  @Override
  public float getFloat(CharSequence name, float defaultValue) {
    return orElse(getFloat(name), defaultValue);
  }

  @Override
  public Double getDouble(CharSequence name) {
    return typed(name, CONVERT::convertToDouble);
  }

  @Override
  public double getDouble(CharSequence name, double defaultValue) {
    return orElse(getDouble(name), defaultValue);
  }

  @Override
  public Long getTimeMillis(CharSequence name) {
    return typed(name, CONVERT::convertToTimeMillis);
  }

  @Override
  public long getTimeMillis(CharSequence name, long defaultValue) {
    return orElse(getTimeMillis(name), defaultValue);
  }

  @Override
  public Boolean getBooleanAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToBoolean);
  }

  @Override
  public boolean getBooleanAndRemove(CharSequence name, boolean defaultValue) {
    return orElse(getBooleanAndRemove(name), defaultValue);
  }

  @Override
  public Byte getByteAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToByte);
  }

  @Override
  public byte getByteAndRemove(CharSequence name, byte defaultValue) {
    return orElse(getByteAndRemove(name), defaultValue);
  }

  @Override
  public Character getCharAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToChar);
  }

  @Override
  public char getCharAndRemove(CharSequence name, char defaultValue) {
    return orElse(getCharAndRemove(name), defaultValue);
  }

  @Override
  public Short getShortAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToShort);
  }

  @Override
  public short getShortAndRemove(CharSequence name, short defaultValue) {
    return orElse(getShortAndRemove(name), defaultValue);
  }

  @Override
  public Integer getIntAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToInt);
  }

  @Override
  public int getIntAndRemove(CharSequence name, int defaultValue) {
    return orElse(getIntAndRemove(name), defaultValue);
  }

  @Override
  public Long getLongAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToLong);
  }

  @Override
  public long getLongAndRemove(CharSequence name, long defaultValue) {
    return orElse(getLongAndRemove(name), defaultValue);
  }

  @Override
  public Float getFloatAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToFloat);
  }

  @Override
  public float getFloatAndRemove(CharSequence name, float defaultValue) {
    return orElse(getFloatAndRemove(name), defaultValue);
  }

  @Override
  public Double getDoubleAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToDouble);
  }

  @Override
  public double getDoubleAndRemove(CharSequence name, double defaultValue) {
    return orElse(getDoubleAndRemove(name), defaultValue);
  }

  @Override
  public Long getTimeMillisAndRemove(CharSequence name) {
    return typedAndRemove(name, CONVERT::convertToTimeMillis);
  }

  @Override
  public long getTimeMillisAndRemove(CharSequence name, long defaultValue) {
    return orElse(getTimeMillisAndRemove(name), defaultValue);
  }

  @Override
  public boolean containsObject(CharSequence name, Object value) {
    return contains(name, CONVERT.convertObject(value));
  }

  @Override
  public boolean containsBoolean(CharSequence name, boolean value) {
    return contains(name, CONVERT.convertBoolean(value));
  }

  @Override
  public boolean containsByte(CharSequence name, byte value) {
    return contains(name, CONVERT.convertByte(value));
  }

  @Override
  public boolean containsChar(CharSequence name, char value) {
    return contains(name, CONVERT.convertChar(value));
  }

  @Override
  public boolean containsShort(CharSequence name, short value) {
    return contains(name, CONVERT.convertShort(value));
  }

  @Override
  public boolean containsInt(CharSequence name, int value) {
    return contains(name, CONVERT.convertInt(value));
  }

  @Override
  public boolean containsLong(CharSequence name, long value) {
    return contains(name, CONVERT.convertLong(value));
  }

  @Override
  public boolean containsFloat(CharSequence name, float value) {
    return contains(name, CONVERT.convertFloat(value));
  }

  @Override
  public boolean containsDouble(CharSequence name, double value) {
    return contains(name, CONVERT.convertDouble(value));
  }

  @Override
  public boolean containsTimeMillis(CharSequence name, long value) {
    return contains(name, CONVERT.convertTimeMillis(value));
  }

  @Override
  public Http2Headers addObject(CharSequence name, Object value) {
    return add(name, CONVERT.convertObject(value));
  }

  @Override
  public Http2Headers addObject(CharSequence name, Iterable<?> values) {
    for (Object value : values) {
      addObject(name, value);
    }
    return this;
  }

  @Override
  public Http2Headers addObject(CharSequence name, Object... values) {
    return addObject(name, Arrays.asList(values));
  }

  @Override
  public Http2Headers addBoolean(CharSequence name, boolean value) {
    return add(name, CONVERT.convertBoolean(value));
  }

  @Override
  public Http2Headers addByte(CharSequence name, byte value) {
    return add(name, CONVERT.convertByte(value));
  }

  @Override
  public Http2Headers addChar(CharSequence name, char value) {
    return add(name, CONVERT.convertChar(value));
  }

  @Override
  public Http2Headers addShort(CharSequence name, short value) {
    return add(name, CONVERT.convertShort(value));
  }

  @Override
  public Http2Headers addInt(CharSequence name, int value) {
    return add(name, CONVERT.convertInt(value));
  }

  @Override
  public Http2Headers addLong(CharSequence name, long value) {
    return add(name, CONVERT.convertLong(value));
  }

  @Override
  public Http2Headers addFloat(CharSequence name, float value) {
    return add(name, CONVERT.convertFloat(value));
  }

  @Override
  public Http2Headers addDouble(CharSequence name, double value) {
    return add(name, CONVERT.convertDouble(value));
  }

  @Override
  public Http2Headers addTimeMillis(CharSequence name, long value) {
    return add(name, CONVERT.convertTimeMillis(value));
  }

  @Override
  public Http2Headers setObject(CharSequence name, Object value) {
    return set(name, CONVERT.convertObject(value));
  }

  @Override
  public Http2Headers setObject(CharSequence name, Iterable<?> values) {
    remove(name);
    return addObject(name, values);
  }

  @Override
  public Http2Headers setObject(CharSequence name, Object... values) {
    remove(name);
    return addObject(name, values);
  }

  @Override
  public Http2Headers setBoolean(CharSequence name, boolean value) {
    return set(name, CONVERT.convertBoolean(value));
  }

  @Override
  public Http2Headers setByte(CharSequence name, byte value) {
    return set(name, CONVERT.convertByte(value));
  }

  @Override
  public Http2Headers setChar(CharSequence name, char value) {
    return set(name, CONVERT.convertChar(value));
  }

  @Override
  public Http2Headers setShort(CharSequence name, short value) {
    return set(name, CONVERT.convertShort(value));
  }

  @Override
  public Http2Headers setInt(CharSequence name, int value) {
    return set(name, CONVERT.convertInt(value));
  }

  @Override
  public Http2Headers setLong(CharSequence name, long value) {
    return set(name, CONVERT.convertLong(value));
  }

  @Override
  public Http2Headers setFloat(CharSequence name, float value) {
    return set(name, CONVERT.convertFloat(value));
  }

  @Override
  public Http2Headers setDouble(CharSequence name, double value) {
    return set(name, CONVERT.convertDouble(value));
  }

  @Override
  public Http2Headers setTimeMillis(CharSequence name, long value) {
    return set(name, CONVERT.convertTimeMillis(value));
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("InboundHeaders[");
    for (int i = 0; i < length; i += 2) {
      out.append(i == 0 ? "" : ", ").append(slots[i]).append(": ").append(slots[i + 1]);
    }
    return out.append(']').toString();
  }
}
