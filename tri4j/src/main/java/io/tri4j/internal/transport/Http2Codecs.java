package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2PromisedRequestVerifier;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.util.concurrent.Ticker;

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

  /** SETTINGS and PING acknowledgements and resets queued unwritten, as in Netty's default. */
  static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

  /** Empty DATA frames without END_STREAM in a row, as in Netty's default. */
  static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;

  /** CONTINUATION frames of a few bytes each in one header block, as in Netty's default. */
  static final int MAX_SMALL_CONTINUATION_FRAMES = 16;

  /** Resets a server receives, or sends for client errors, per window (Netty's default). */
  static final int MAX_RESETS_PER_WINDOW = 200;

  static final int RESET_WINDOW_SECONDS = 30;

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

  /** Makes one end's handler from the encoder and decoder {@link #newHandler} assembled. */
  interface HandlerFactory<T extends Http2ConnectionHandler> {
    T create(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings);
  }

  /**
   * A new handler for one end of a connection, on Netty's codec with the headers received read into
   * {@link InboundHeaders}, and with the flood limits of Netty's builder: at most {@value
   * #MAX_QUEUED_CONTROL_FRAMES} SETTINGS and PING acknowledgements and resets queued unwritten
   * ({@link QueuedControlFrameLimit}), at most two empty DATA frames in a row and {@value
   * #MAX_SMALL_CONTINUATION_FRAMES} small CONTINUATION frames; on a server also at most {@value
   * #MAX_RESETS_PER_WINDOW} resets received (Rapid Reset) and as many sent for errors the client
   * caused (MadeYouReset, {@link SentResetLimit}) per {@value #RESET_WINDOW_SECONDS} seconds, and
   * {@link ControlFrameBudget}; a server also refuses a request without its pseudo-headers with a
   * PROTOCOL_ERROR reset. Each limit ends the connection with ENHANCE_YOUR_CALM.
   */
  static <T extends Http2ConnectionHandler> T newHandler(
      boolean server, Http2Settings settings, HandlerFactory<T> factory) {
    return new Builder<>(factory, server, settings).make();
  }

  /**
   * HPACK decoding into {@link InboundHeaders}, with names validated and values not. One connection
   * decodes one header block at a time, and its listeners read the headers while they are told of
   * them (what they keep, they copy: strings, {@code Metadata}), so every block is decoded into the
   * same {@code InboundHeaders}, emptied first: the headers given to a listener are valid until the
   * connection's next header block is read.
   */
  static final class InboundHeadersDecoder extends DefaultHttp2HeadersDecoder {
    private InboundHeaders headers;

    InboundHeadersDecoder(long maxHeaderListSize) {
      super(true, false, maxHeaderListSize);
    }

    @Override
    protected Http2Headers newHeaders() {
      InboundHeaders h = headers;
      if (h == null) {
        headers = h = new InboundHeaders(validateHeaders(), numberOfHeadersGuess());
      } else {
        h.clear();
      }
      return h;
    }
  }

  private static final class Builder<T extends Http2ConnectionHandler>
      extends AbstractHttp2ConnectionHandlerBuilder<T, Builder<T>> {
    private final HandlerFactory<T> factory;
    private final boolean server;

    Builder(HandlerFactory<T> factory, boolean server, Http2Settings settings) {
      this.factory = factory;
      this.server = server;
      Http2Connection connection =
          server ? new SkippedStreamIds() : new DefaultHttp2Connection(false);
      connection
          .local()
          .flowController(new DefaultHttp2LocalFlowController(connection, 0.5f, false));
      connection
          .remote()
          .flowController(
              new DefaultHttp2RemoteFlowController(
                  connection, new UniformStreamByteDistributor(connection)));
      Long maxStreams = settings.maxConcurrentStreams();
      if (maxStreams != null) {
        connection.remote().maxActiveStreams((int) Math.min(maxStreams, Integer.MAX_VALUE));
      }
      int resets = server ? MAX_RESETS_PER_WINDOW : 0; // a client trusts its server
      // Netty's builder checks these two limits on a codec it is given.
      initialSettings(settings)
          .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA_FRAMES)
          .decoderEnforceMaxRstFramesPerWindow(resets, RESET_WINDOW_SECONDS);
      // The rest of the codec is assembled here, as the builder would, but for the headers
      // received: InboundHeaders rather than a DefaultHttp2Headers per HEADERS frame.
      // DATA and HEADERS are read in place; Netty's reader, on the same HPACK decoder, reads the
      // rest.
      Long maxHeaderListSize = settings.maxHeaderListSize();
      InboundHeadersDecoder headersDecoder =
          new InboundHeadersDecoder(
              maxHeaderListSize == null ? MAX_HEADER_LIST_SIZE : maxHeaderListSize);
      Http2FrameReader reader =
          new InPlaceFrameReader(
              new DefaultHttp2FrameReader(headersDecoder, MAX_SMALL_CONTINUATION_FRAMES),
              headersDecoder);
      Http2ConnectionEncoder encoder =
          new QueuedControlFrameLimit(
              new DirectFrameEncoder(
                  new DefaultHttp2ConnectionEncoder(connection, new HeadroomFrameWriter())),
              MAX_QUEUED_CONTROL_FRAMES);
      if (!server) {
        // A client may have more calls than the server allows streams: queue the excess.
        encoder = new StreamBufferingEncoder(encoder);
      }
      Http2ConnectionDecoder decoder =
          new DefaultHttp2ConnectionDecoder(
              connection,
              encoder,
              reader,
              Http2PromisedRequestVerifier.ALWAYS_VERIFY,
              true, // acknowledge SETTINGS
              true, // answer PINGs
              true, // validate headers
              // A request without :method, :scheme or :path is malformed (RFC 9113 8.3.1).
              server);
      codec(decoder, encoder);
    }

    T make() {
      return build();
    }

    @Override
    protected T build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      T handler;
      if (server) {
        ControlFrameBudget budget = new ControlFrameBudget(decoder);
        Http2ConnectionEncoder limited =
            new SentResetLimit(
                encoder, MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS, Ticker.systemTicker());
        handler = factory.create(budget, budget.earnOnWrite(limited), settings);
      } else {
        handler = factory.create(decoder, encoder, settings);
      }
      // The builder sets its own timeout on the handler after this: keep the handler's choice.
      gracefulShutdownTimeoutMillis(handler.gracefulShutdownTimeoutMillis());
      return handler;
    }
  }
}
