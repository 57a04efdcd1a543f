package io.tri4j.internal.codec;

import io.tri4j.StatusException;

/**
 * One received gRPC message as the {@link MessageDeframer} cut it out of the stream: its bytes,
 * still compressed if it came compressed.
 *
 * <p>The network thread only cuts messages out; the thread that reads a message (a blocking reader,
 * or the call's callback executor) calls {@link #bytes()}, so inflating a large message does not
 * hold up the other streams of the connection (unless handlers or callbacks were asked to run on
 * the network thread). The size limit applies to the decompressed message there.
 */
public final class WireMessage {
  private final byte[] payload;
  private final Compression compression;
  private final int maxSize;
  private final Object decoded;
  private final boolean decodedWasCompressed;

  private WireMessage(
      byte[] payload,
      Compression compression,
      int maxSize,
      Object decoded,
      boolean decodedWasCompressed) {
    this.payload = payload;
    this.compression = compression;
    this.maxSize = maxSize;
    this.decoded = decoded;
    this.decodedWasCompressed = decodedWasCompressed;
  }

  /**
   * A message that was decoded already, further down a call whose interceptors take objects, not
   * bytes: {@link #decoded()} gives it, and it counts as no bytes. {@code compressed} is whether it
   * came compressed.
   */
  public static WireMessage decoded(Object message, boolean compressed) {
    return new WireMessage(new byte[0], null, Integer.MAX_VALUE, message, compressed);
  }

  /** The message of {@link #decoded(Object)}, or null for a message still in bytes. */
  public Object decoded() {
    return decoded;
  }

  /** A message that came uncompressed. */
  public static WireMessage plain(byte[] bytes) {
    return new WireMessage(bytes, null, Integer.MAX_VALUE, null, false);
  }

  /** A message compressed with {@code compression}, at most {@code maxSize} bytes decompressed. */
  static WireMessage compressed(byte[] payload, Compression compression, int maxSize) {
    return new WireMessage(payload, compression, maxSize, null, false);
  }

  /** Whether the message came compressed. */
  public boolean wasCompressed() {
    return compression != null || decodedWasCompressed;
  }

  /** Its size as received (compressed, if it came compressed). */
  public int wireSize() {
    return payload.length;
  }

  /**
   * The message's bytes, decompressed if it came compressed: each call inflates it anew, so call it
   * once. Decompressing costs CPU in proportion to the message: call it off the network thread.
   *
   * @throws StatusException {@code RESOURCE_EXHAUSTED} if the decompressed message passes the
   *     limit, {@code INTERNAL} if the compressed data is not valid
   */
  public byte[] bytes() {
    return compression == null ? payload : compression.decompress(payload, maxSize);
  }
}
