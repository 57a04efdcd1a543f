package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * A server's HTTP/2 connection that remembers which client stream ids were skipped, never opened.
 * Netty takes any id below the last one opened for a stream that may have existed, and answers its
 * HEADERS with a STREAM_CLOSED reset; RFC 9113 (5.1.1) makes a new stream whose id is lower than
 * one already opened a PROTOCOL_ERROR of the connection. Here such ids are not streams that may
 * have existed, so Netty refuses them as it refuses any id out of order.
 *
 * <p>Clients open ids in order, so skips are rare: the last {@value #KEPT} ranges are kept, and ids
 * of ranges forgotten are taken as Netty takes them.
 */
final class SkippedStreamIds extends DefaultHttp2Connection {
  static final int KEPT = 16;

  private final int[] from = new int[KEPT];
  private final int[] to = new int[KEPT];
  private int count;
  private int next; // where the next range is written, once all are in use
  private int lastOpened = -1; // client ids are odd: the first is 1

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
   * The client used {@code id} for a stream Netty never added: refused ({@code REFUSED_STREAM}: too
   * many streams, or a GOAWAY sent) or failed before it was made. Its frames may still be in
   * flight.
   */
  void used(int id) {
    if ((id & 1) == 0 || id <= lastOpened) {
      return; // the server's own (none today), or one known already
    }
    if (id > lastOpened + 2) {
      remember(lastOpened + 2, id - 2);
    }
    lastOpened = id;
  }

  private void remember(int first, int last) {
    from[next] = first;
    to[next] = last;
    next = (next + 1) % KEPT;
    count = Math.min(count + 1, KEPT);
  }

  @Override
  public boolean streamMayHaveExisted(int streamId) {
    return super.streamMayHaveExisted(streamId) && !skipped(streamId);
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
