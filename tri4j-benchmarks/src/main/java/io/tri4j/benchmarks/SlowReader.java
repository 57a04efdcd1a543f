package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.ResponseStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;

/**
 * Reads a server stream ({@code StreamingFromServer}, which sends as fast as flow control lets it)
 * with tri4j's blocking API, sleeping between reads, until {@code --gib} GiB have arrived; then
 * prints the bytes read, the time, and the largest heap use seen (the sum of the heap pools' peak
 * usage). Run with a small {@code -Xmx} to show that neither side buffers without bound.
 */
final class SlowReader {
  private SlowReader() {}

  static void run(Map<String, String> flags) {
    String address = flags.getOrDefault("address", "127.0.0.1:50060");
    long target = Long.parseLong(flags.getOrDefault("gib", "10")) << 30;
    int size = Integer.parseInt(flags.getOrDefault("message", "65536"));
    int sleepEvery = Integer.parseInt(flags.getOrDefault("sleep_every", "64"));
    SimpleRequest request = Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, 0, size);
    long start = System.nanoTime();
    long bytes = 0;
    long messages = 0;
    try (Client client =
        new Client(ReferenceConfig.fromUrl("tri://" + address + "/" + BenchmarkService.NAME))) {
      ResponseStream<SimpleResponse> stream =
          client
              .serverStream(
                  "StreamingFromServer", SimpleRequest::toByteArray, SimpleResponse::parseFrom)
              .call(request);
      while (bytes < target) {
        SimpleResponse response = stream.read();
        if (response == null) {
          throw new IllegalStateException("the stream ended early");
        }
        bytes += response.getPayload().getBody().size();
        if (++messages % sleepEvery == 0) {
          Thread.sleep(1);
        }
      }
      stream.cancel("read enough");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "read %d bytes in %d messages in %.1f s (%.0f MB/s); peak heap used %d MiB of max %d MiB%n",
        bytes,
        messages,
        seconds,
        bytes / seconds / 1e6,
        peakHeap() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /** The sum of the heap pools' peak usage since the JVM started. */
  static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
