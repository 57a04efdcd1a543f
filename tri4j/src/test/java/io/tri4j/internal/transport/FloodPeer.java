package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A client that writes raw HTTP/2 frames over a socket and reads nothing until asked: the shape of
 * a flood, whose sender never reads the acknowledgements it provokes.
 */
final class FloodPeer implements AutoCloseable {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int PRIORITY = 2;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int WINDOW_UPDATE = 8;
  static final int CONTINUATION = 9;
  static final int END_STREAM = 0x1;
  static final long CLOSED = -1;
  static final int END_HEADERS = 0x4;

  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final OutputStream out;
  private final DefaultHttp2HeadersEncoder headersEncoder = new DefaultHttp2HeadersEncoder();

  FloodPeer(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(20_000);
    out = socket.getOutputStream();
    out.write(PREFACE);
    out.write(frame(SETTINGS, 0, 0, new byte[0]));
    out.flush();
  }

  static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
    b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8));
    b.put((byte) payload.length).put((byte) type).put((byte) flags).putInt(streamId);
    return b.put(payload).array();
  }

  static byte[] int32(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  /** The HPACK block of {@code headers}, from an encoder that keeps its dynamic table. */
  byte[] headerBlock(Http2Headers headers) {
    ByteBuf buf = Unpooled.buffer();
    try {
      headersEncoder.encodeHeaders(0, headers, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } catch (Http2Exception e) {
      throw new IllegalStateException(e);
    } finally {
      buf.release();
    }
  }

  byte[] headers(int streamId, Http2Headers headers, boolean endStream) {
    return frame(
        HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, headerBlock(headers));
  }

  /**
   * Writes {@code frames}, {@code times} over, in large writes; stops early, without failing, if
   * the server closes the connection.
   */
  void send(byte[] frames, int times) {
    if (frames.length == 0) {
      return;
    }
    int perWrite = Math.max(1, 64 * 1024 / frames.length);
    byte[] batch = new byte[perWrite * frames.length];
    for (int i = 0; i < perWrite; i++) {
      System.arraycopy(frames, 0, batch, i * frames.length, frames.length);
    }
    try {
      for (int sent = 0; sent < times; sent += perWrite) {
        int n = Math.min(perWrite, times - sent);
        out.write(batch, 0, n * frames.length);
      }
      out.flush();
    } catch (IOException e) {
      // the server closed the connection
    }
  }

  /**
   * Reads frames until a GOAWAY, and returns its error code; {@link #CLOSED} if the connection ends
   * without one.
   */
  long awaitGoAway() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        in.readUnsignedByte(); // flags
        in.readInt(); // stream id
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == GOAWAY) {
          return ByteBuffer.wrap(payload, 4, 4).getInt() & 0xffffffffL;
        }
      }
    } catch (EOFException e) {
      return CLOSED;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("reset")) {
        return CLOSED;
      }
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
