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

  private WireMessage(byte[] payload, Compression compression, int maxSize) {
    this.payload = payload;
    this.compression = compression;
    this.maxSize = maxSize;
  }

  /** A message that came uncompressed. */
  public static WireMessage plain(byte[] bytes) {
    return new WireMessage(bytes, null, Integer.MAX_VALUE);
  }

  /** A message compressed with {@code compression}, at most {@code maxSize} bytes decompressed. */
  static WireMessage compressed(byte[] payload, Compression compression, int maxSize) {
    return new WireMessage(payload, compression, maxSize);
  }

  /** Whether the message came compressed. */
  public boolean wasCompressed() {
    return compression != null;
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
