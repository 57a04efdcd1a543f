package io.tri4j.internal.codec;

import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec's hot paths: framing a message, cutting a stream of DATA into messages (16 KiB frames,
 * as HTTP/2 delivers them), and the {@code grpc-message} and {@code grpc-timeout} headers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark {
  @Param({"64", "1024", "65536"})
  public int size;

  private byte[] message;
  private byte[] stream;
  private MessageDeframer deframer;
  private Blackhole sink;
  private int delivered;

  @Setup
  public void setUp(Blackhole blackhole) {
    sink = blackhole;
    message = new byte[size];
    // 64 messages back to back, as the peer would send them.
    stream = new byte[64 * (size + MessageFramer.HEADER_LENGTH)];
    for (int i = 0; i < 64; i++) {
      MessageFramer.writeHeader(stream, i * (size + MessageFramer.HEADER_LENGTH), size, false);
    }
    deframer =
        new MessageDeframer(
            new MessageDeframer.Listener() {
              @Override
              public void messageRead(WireMessage m) {
                sink.consume(m.bytes());
                delivered++;
              }

              @Override
              public void bytesProcessed(int count) {}

              @Override
              public void endOfStream() {}

              @Override
              public void deframeFailed(Status status) {
                throw status.asException();
              }
            },
            Integer.MAX_VALUE,
            new TransportStats());
  }

  @Benchmark
  public byte[] frame() {
    return MessageFramer.frame(message);
  }

  /** Deframes 64 messages delivered in 16 KiB DATA frames; the time is for all 64. */
  @Benchmark
  public int deframe64() {
    delivered = 0;
    deframer.request(64);
    for (int offset = 0; offset < stream.length; offset += 16384) {
      deframer.deframe(ByteBuffer.wrap(stream, offset, Math.min(16384, stream.length - offset)));
    }
    return delivered;
  }

  @Benchmark
  public byte[] encodeAsciiGrpcMessage() {
    return GrpcMessageEncoding.encode("Service not found: example.Greeter");
  }

  @Benchmark
  public byte[] encodeUnicodeGrpcMessage() {
    return GrpcMessageEncoding.encode("nicht gefunden: grün – 名前 ✗");
  }

  @Benchmark
  public String encodeGrpcTimeout() {
    return GrpcTimeout.encode(1_234_567_890L);
  }
}
