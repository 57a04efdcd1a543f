package io.tri4j.internal.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * The details of a serialized {@code google.rpc.Status} (the {@code grpc-status-details-bin}
 * trailer), read without protobuf-java: the core does not need it on the class path. Each detail is
 * a {@code google.protobuf.Any}.
 */
public final class RpcStatusDetails {
  /** One {@code Any}: its type URL and its serialized message. */
  public record Detail(String typeUrl, byte[] value) {
    /** The type's full name: the URL after its last {@code /}. */
    public String typeName() {
      return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    }
  }

  private RpcStatusDetails() {}

  /**
   * The details (field 3) of a serialized {@code google.rpc.Status}.
   *
   * @throws IllegalArgumentException if the bytes are not a valid message
   */
  public static List<Detail> parse(byte[] status) {
    List<Detail> details = new ArrayList<>(2);
    Reader reader = new Reader(status, 0, status.length);
    while (reader.hasMore()) {
      int tag = reader.varint32();
      if (tag == (3 << 3 | 2)) {
        int length = reader.varint32();
        details.add(any(new Reader(status, reader.position, length)));
        reader.skip(length);
      } else {
        reader.skipField(tag);
      }
    }
    return details;
  }

  private static Detail any(Reader reader) {
    String typeUrl = "";
    byte[] value = new byte[0];
    while (reader.hasMore()) {
      int tag = reader.varint32();
      if (tag == (1 << 3 | 2)) {
        typeUrl = new String(reader.bytes(), java.nio.charset.StandardCharsets.UTF_8);
      } else if (tag == (2 << 3 | 2)) {
        value = reader.bytes();
      } else {
        reader.skipField(tag);
      }
    }
    return new Detail(typeUrl, value);
  }

  /** Reads protobuf's wire format from a slice of an array. */
  private static final class Reader {
    private final byte[] data;
    private final int end;
    private int position;

    Reader(byte[] data, int offset, int length) {
      if (offset < 0 || length < 0 || offset + length > data.length) {
        throw malformed();
      }
      this.data = data;
      this.position = offset;
      this.end = offset + length;
    }

    boolean hasMore() {
      return position < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw malformed();
        }
        byte b = data[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw malformed();
    }

    int varint32() {
      long value = varint();
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw malformed();
      }
      return (int) value;
    }

    void skip(int length) {
      if (length < 0 || length > end - position) {
        throw malformed();
      }
      position += length;
    }

    byte[] bytes() {
      int length = varint32();
      skip(length);
      return java.util.Arrays.copyOfRange(data, position - length, position);
    }

    void skipField(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> skip(8);
        case 2 -> skip(varint32());
        case 5 -> skip(4);
        default -> throw malformed();
      }
    }

    private static IllegalArgumentException malformed() {
      return new IllegalArgumentException("Malformed google.rpc.Status");
    }
  }
}
