package io.tri4j.registry.zookeeper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protobuf messages of Dubbo's {@code org.apache.dubbo.metadata.MetadataServiceV2}, written out
 * here so that this module needs no protobuf runtime (whose generated code would pin a version on
 * the application):
 *
 * <pre>
 * message MetadataRequest { string revision = 1; }
 * message MetadataInfoV2 {
 *   string app = 1;
 *   string version = 2;                      // the revision
 *   map&lt;string, ServiceInfoV2&gt; services = 3;  // by match key
 * }
 * message ServiceInfoV2 {
 *   string name = 1; string group = 2; string version = 3; string protocol = 4;
 *   int32 port = 5; string path = 6; map&lt;string, string&gt; params = 7;
 * }
 * </pre>
 */
final class MetadataProto {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private MetadataProto() {}

  static byte[] encodeRequest(String revision) {
    Writer w = new Writer();
    w.string(1, revision);
    return w.bytes();
  }

  /**
   * The revision a {@code MetadataRequest} asks for.
   *
   * @throws IllegalArgumentException if the bytes are not such a message
   */
  static String decodeRequest(byte[] bytes) {
    String revision = "";
    Reader r = new Reader(bytes);
    while (r.more()) {
      int tag = r.varint32();
      if (tag >>> 3 == 1 && (tag & 7) == LENGTH_DELIMITED) {
        revision = r.string();
      } else {
        r.skip(tag);
      }
    }
    return revision;
  }

  static byte[] encodeInfo(ApplicationMetadata metadata) {
    Writer w = new Writer();
    w.string(1, metadata.app());
    w.string(2, metadata.revision());
    for (ServiceInfo s : metadata.services()) {
      Writer service = new Writer();
      service.string(1, s.name());
      service.string(2, s.group());
      service.string(3, s.version());
      service.string(4, s.protocol());
      if (s.port() != 0) {
        service.tag(5, VARINT);
        service.varint(s.port()); // an int32: negative values sign-extend to ten bytes
      }
      service.string(6, s.path());
      s.params()
          .forEach(
              (k, v) -> {
                Writer entry = new Writer();
                entry.string(1, k);
                entry.string(2, v);
                service.message(7, entry);
              });
      Writer entry = new Writer();
      entry.string(1, s.matchKey());
      entry.message(2, service);
      w.message(3, entry);
    }
    return w.bytes();
  }

  /**
   * The metadata in a {@code MetadataInfoV2}.
   *
   * @throws IllegalArgumentException if the bytes are not such a message
   */
  static ApplicationMetadata decodeInfo(byte[] bytes) {
    String app = null;
    List<ServiceInfo> services = new ArrayList<>();
    Reader r = new Reader(bytes);
    while (r.more()) {
      int tag = r.varint32();
      if (tag == (1 << 3 | LENGTH_DELIMITED)) {
        app = r.string();
      } else if (tag == (3 << 3 | LENGTH_DELIMITED)) {
        Reader entry = r.message();
        while (entry.more()) {
          int t = entry.varint32();
          if (t == (2 << 3 | LENGTH_DELIMITED)) {
            services.add(decodeService(entry.message()));
          } else {
            entry.skip(t);
          }
        }
      } else {
        r.skip(tag);
      }
    }
    return new ApplicationMetadata(app, services);
  }

  private static ServiceInfo decodeService(Reader r) {
    String[] strings = new String[7];
    int port = 0;
    Map<String, String> params = new LinkedHashMap<>();
    while (r.more()) {
      int tag = r.varint32();
      int field = tag >>> 3;
      if (tag == (5 << 3 | VARINT)) {
        port = (int) r.varint();
      } else if (tag == (7 << 3 | LENGTH_DELIMITED)) {
        Reader entry = r.message();
        String key = "";
        String value = "";
        while (entry.more()) {
          int t = entry.varint32();
          if (t == (1 << 3 | LENGTH_DELIMITED)) {
            key = entry.string();
          } else if (t == (2 << 3 | LENGTH_DELIMITED)) {
            value = entry.string();
          } else {
            entry.skip(t);
          }
        }
        params.put(key, value);
      } else if (field >= 1 && field <= 6 && (tag & 7) == LENGTH_DELIMITED) {
        strings[field] = r.string();
      } else {
        r.skip(tag);
      }
    }
    return new ServiceInfo(
        strings[1],
        emptyToNull(strings[2]),
        emptyToNull(strings[3]),
        strings[4],
        port,
        strings[6],
        params);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Appends fields; proto3 leaves out empty strings. */
  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void tag(int field, int wireType) {
      varint(field << 3 | wireType);
    }

    void varint(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) (value & 0x7F) | 0x80);
        value >>>= 7;
      }
      out.write((int) value);
    }

    void string(int field, String value) {
      if (value != null && !value.isEmpty()) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
      }
    }

    void message(int field, Writer message) {
      bytes(field, message.bytes());
    }

    private void bytes(int field, byte[] bytes) {
      tag(field, LENGTH_DELIMITED);
      varint(bytes.length);
      out.writeBytes(bytes);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** Reads fields, refusing truncated input. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;
    private final int end;

    Reader(byte[] bytes) {
      this(bytes, 0, bytes.length);
    }

    private Reader(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean more() {
      return position < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    int varint32() {
      return (int) varint();
    }

    private int length() {
      long length = varint();
      if (length < 0 || length > end - position) {
        throw new IllegalArgumentException("truncated field");
      }
      return (int) length;
    }

    String string() {
      int length = length();
      String s = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return s;
    }

    Reader message() {
      int length = length();
      Reader message = new Reader(bytes, position, position + length);
      position += length;
      return message;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case VARINT -> varint();
        case FIXED64 -> advance(8);
        case LENGTH_DELIMITED -> advance(length());
        case FIXED32 -> advance(4);
        default -> throw new IllegalArgumentException("unknown wire type " + (tag & 7));
      }
    }

    private void advance(int n) {
      if (n > end - position) {
        throw new IllegalArgumentException("truncated field");
      }
      position += n;
    }
  }
}
