package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * The HTTP/2 settings and codec pieces both ends share. Inbound flow control is manual: the window
 * is returned as messages are read by the application, never on arrival alone.
 */
final class Http2Codecs {
  /** Per-stream window: how far a peer may send ahead of a reader. */
  static final int STREAM_WINDOW = 1024 * 1024;

  /** Connection window: several streams' worth, so that one slow reader does not stall the rest. */
  static final int CONNECTION_WINDOW = 16 * STREAM_WINDOW;

  /** Largest header list accepted, as in gRPC's default. */
  static final int MAX_HEADER_LIST_SIZE = 8192;

  private Http2Codecs() {}

  static Http2Settings clientSettings() {
    return new Http2Settings()
        .initialWindowSize(STREAM_WINDOW)
        .maxHeaderListSize(MAX_HEADER_LIST_SIZE)
        .pushEnabled(false);
  }

  static Http2Settings serverSettings(int maxHeaderListSize, int maxConcurrentStreams) {
    Http2Settings settings =
        new Http2Settings().initialWindowSize(STREAM_WINDOW).maxHeaderListSize(maxHeaderListSize);
    if (maxConcurrentStreams != Integer.MAX_VALUE) {
      settings.maxConcurrentStreams(maxConcurrentStreams);
    }
    return settings;
  }

  /** The connection state, encoder and decoder for one end. */
  static final class Pieces {
    final Http2Connection connection;
    final Http2ConnectionEncoder encoder;
    final Http2ConnectionDecoder decoder;

    Pieces(boolean server, int maxHeaderListSize) {
      connection = new DefaultHttp2Connection(server);
      connection
          .local()
          .flowController(new DefaultHttp2LocalFlowController(connection, 0.5f, false));
      connection
          .remote()
          .flowController(
              new DefaultHttp2RemoteFlowController(
                  connection, new UniformStreamByteDistributor(connection)));
      Http2ConnectionEncoder base =
          new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter());
      // A client may have more calls than the server allows streams: queue the excess.
      encoder = server ? base : new StreamBufferingEncoder(base);
      decoder =
          new DefaultHttp2ConnectionDecoder(
              connection,
              encoder,
              new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(true, maxHeaderListSize)));
    }
  }
}
