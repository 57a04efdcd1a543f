package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Status;
import io.tri4j.internal.codec.EnvelopeSplitter;
import io.tri4j.internal.codec.GrpcWebTrailers;
import java.nio.ByteBuffer;

/**
 * A gRPC-Web response: headers as gRPC's ({@code application/grpc-web+proto}), messages as gRPC
 * frames, and the status and trailers in a last frame flagged {@code 0x80}, or in the headers of a
 * response that is only a status.
 */
final class GrpcWebResponse extends WebResponse implements EnvelopeSplitter.Listener {
  private final ResponseHeaderReader headers =
      new ResponseHeaderReader(GrpcHeaders.APPLICATION_GRPC_WEB, "gRPC-Web");
  private final EnvelopeSplitter splitter;

  GrpcWebResponse(NettyClientStream stream, int maxTrailersSize) {
    super(stream);
    this.splitter = new EnvelopeSplitter(this, GrpcWebTrailers.TRAILERS_FLAG, maxTrailersSize);
  }

  @Override
  void onHeaders(Http2Headers frame, boolean endOfStream) {
    if (stream.trailersReceived()) {
      return; // HTTP/2 trailers after the trailers frame say nothing new
    }
    switch (headers.read(frame, endOfStream)) {
      case HEADERS -> stream.headersRead(MetadataCodec.fromHeaders(frame), headers.decompression());
      case TRAILERS -> stream.trailersRead(headers.status(), MetadataCodec.fromHeaders(frame));
      case MALFORMED -> stream.failAndReset(headers.status());
      case INFORMATIONAL -> {}
    }
  }

  @Override
  void onData(ByteBuf data, boolean endOfStream) {
    if (!headers.headersReceived()) {
      stream.dataBeforeHeaders(data);
      return;
    }
    Frames.split(data, splitter);
    if (endOfStream && !stream.isClosed() && !splitter.ended()) {
      stream.failAndReset(
          Status.INTERNAL.withDescription(
              "The server ended the gRPC-Web response without its trailers frame"));
    }
  }

  @Override
  public void messageBytes(ByteBuffer bytes) {
    stream.deframe(bytes);
  }

  @Override
  public void endFrame(int flags, byte[] body) {
    Http2Headers trailers = new DefaultHttp2Headers(false);
    GrpcWebTrailers.read(body, trailers::add);
    stream.trailersRead(
        ResponseHeaderReader.statusOf(trailers, 200), MetadataCodec.fromHeaders(trailers));
  }

  @Override
  public void bytesUsed(int count) {
    stream.consumed(count);
  }

  @Override
  public void failed(Status status) {
    stream.failAndReset(status);
  }
}
