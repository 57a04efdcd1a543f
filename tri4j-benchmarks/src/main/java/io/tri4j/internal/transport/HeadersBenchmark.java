package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.Deadline;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request headers of one call, as tri4j's client builds them (path, content type, a 2 s
 * timeout, accept-encoding, a Dubbo version header, and two metadata entries, one binary) and as
 * the server reads them back into {@link Metadata}:
 *
 * <ul>
 *   <li>{@code build}: the header list alone;
 *   <li>{@code warmConnection}: build, HPACK-encode with Netty's encoder and decode as tri4j's
 *       connections do (into {@code InboundHeaders}), and read the metadata; the dynamic tables are
 *       warm, as on a connection that has carried calls before;
 *   <li>{@code decodeLiteral}: decode a block with no dynamic table (every header spelt out, as on
 *       a connection's first call) and read the metadata.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HeadersBenchmark {
  private static final int STREAM_ID = 3;
  private static final AsciiString PATH =
      AsciiString.of("/grpc.testing.BenchmarkService/UnaryCall");
  private static final AsciiString AUTHORITY = AsciiString.of("127.0.0.1:50051");

  private final GrpcRequestHeaders grpc =
      new GrpcRequestHeaders(
          GrpcHeaders.APPLICATION_GRPC_PROTO, Map.of("tri-service-version", "1.0.0"));
  private final Metadata metadata = new Metadata();
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  // The decoder tri4j's connections use, into InboundHeaders.
  private final DefaultHttp2HeadersDecoder decoder =
      new Http2Codecs.InboundHeadersDecoder(Http2Codecs.MAX_HEADER_LIST_SIZE);
  private final DefaultHttp2HeadersDecoder literalDecoder =
      new Http2Codecs.InboundHeadersDecoder(Http2Codecs.MAX_HEADER_LIST_SIZE);
  private final ByteBuf block = Unpooled.buffer(1024);
  private ByteBuf literalBlock;

  @Setup
  public void setUp() throws Http2Exception {
    metadata.put("x-request-id", "4f1c2a9e-7d3b-4e15-9a6c-0b8d2e5f7a13");
    metadata.putBinary("x-trace-bin", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
    DefaultHttp2HeadersEncoder literalEncoder = new DefaultHttp2HeadersEncoder();
    literalEncoder.configuration().maxHeaderTableSize(0);
    literalDecoder.configuration().maxHeaderTableSize(0);
    literalBlock = Unpooled.buffer(1024);
    literalEncoder.encodeHeaders(STREAM_ID, build(), literalBlock);
  }

  @TearDown
  public void tearDown() {
    block.release();
    literalBlock.release();
  }

  /** The system clock; the headers only read it. */
  private static final CallClock CLOCK =
      CallClock.system(
          () -> {
            throw new IllegalStateException("nothing is scheduled here");
          });

  @Benchmark
  public Http2Headers build() {
    return grpc.forCall(
        PATH,
        GrpcHeaders.HTTP,
        AUTHORITY,
        Deadline.after(Duration.ofSeconds(2), CLOCK),
        null,
        metadata);
  }

  @Benchmark
  public Metadata warmConnection() throws Http2Exception {
    block.clear();
    encoder.encodeHeaders(STREAM_ID, build(), block);
    return MetadataCodec.fromHeaders(decoder.decodeHeaders(STREAM_ID, block));
  }

  @Benchmark
  public Metadata decodeLiteral() throws Http2Exception {
    return MetadataCodec.fromHeaders(
        literalDecoder.decodeHeaders(STREAM_ID, literalBlock.duplicate()));
  }
}
