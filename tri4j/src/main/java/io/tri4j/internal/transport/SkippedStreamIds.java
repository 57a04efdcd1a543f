package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * A server's HTTP/2 connection that knows which client stream ids were used and which skipped.
 * Netty takes any id below the last stream it made for one that may have existed, and every other
 * id for one that did not; RFC 9113 asks otherwise in two cases:
 *
 * <ul>
 *   <li>A new stream whose id is lower than one already used is a PROTOCOL_ERROR of the connection
 *       (5.1.1); Netty resets it with STREAM_CLOSED. Skipped ids are taken here for streams that
 *       never existed, so Netty refuses them as any id out of order.
 *   <li>A stream Netty refused ({@code REFUSED_STREAM}, as when the client opens more than the
 *       server allows before it has read the server's SETTINGS) was used all the same: the rest of
 *       its request, already in flight, gets a stream reset, not the connection closed.
 * </ul>
 *
 * <p>Clients open ids in order, so skips are rare: the last {@value #KEPT} ranges are kept, and ids
 * of ranges forgotten are taken as used.
 */
final class SkippedStreamIds extends DefaultHttp2Connection {
  static final int KEPT = 16;

  private final int[] from = new int[KEPT];
  private final int[] to = new int[KEPT];
  private int count;
  private int next; // where the next range is written, once all are in use
  private int lastUsed = -1; // client ids are odd: the first is 1

  SkippedStreamIds() {
    super(true);
    addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onStreamAdded(Http2Stream stream) {
            used(stream.id());
          }
        });
  }

  /**
   * The client used {@code id}, for a stream Netty made or one it never made: refused, or failed
   * before it was made.
   */
  void used(int id) {
    if ((id & 1) == 0 || id <= lastUsed) {
      return; // the server's own (none today), or one known already
    }
    if (id > lastUsed + 2) {
      remember(lastUsed + 2, id - 2);
    }
    lastUsed = id;
  }

  private void remember(int first, int last) {
    from[next] = first;
    to[next] = last;
    next = (next + 1) % KEPT;
    count = Math.min(count + 1, KEPT);
  }

  @Override
  public boolean streamMayHaveExisted(int streamId) {
    if ((streamId & 1) == 0) {
      return super.streamMayHaveExisted(streamId);
    }
    return streamId <= lastUsed && !skipped(streamId);
  }

  private boolean skipped(int streamId) {
    for (int i = 0; i < count; i++) {
      if (streamId >= from[i] && streamId <= to[i]) {
        return true;
      }
    }
    return false;
  }
}
