package io.tri4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Bytes allocated per operation, split into the server's threads and everything else, for
 * benchmarks that run a tri4j client and server in one JVM ({@code -prof
 * io.tri4j.benchmarks.AllocationBySideProfiler}). {@code -prof gc} gives only the sum.
 *
 * <p>A thread is the server's when its name is one tri4j's {@link io.tri4j.Server} gives its
 * network and handler threads, or starts with {@value #PEER_SERVER_THREADS}, as the threads of a
 * peer's server that a benchmark starts are named ({@link GrpcJavaUnaryCallBenchmark}). The
 * client's share is the JVM's total less the server's, so it also holds the benchmark thread, JMH's
 * own threads and threads that ended during the iteration. The server's share is counted per
 * thread, so a pool thread that retires idle or starts during an iteration counts right; one that
 * works and then ends in the same iteration would count as the client's. JMH ends the last
 * iteration after the trial's teardown, so a benchmark that closes its server there calls {@link
 * #beforeServerCloses()} first.
 */
public final class AllocationBySideProfiler implements InternalProfiler {
  /** The start of the thread names of a peer's server run by a benchmark, such as grpc-java's. */
  static final String PEER_SERVER_THREADS = "bench-server-";

  private static final List<String> SERVER_THREADS =
      List.of("tri4j-server-", "tri4j-handler-", "tri4j-async-handler-", PEER_SERVER_THREADS);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The server's threads as they were just before the server closed; empty if it has not. */
  private static volatile Map<Long, Long> closedServer = Map.of();

  private long totalBefore;
  private Map<Long, Long> serverBefore = Map.of();

  @Override
  public String getDescription() {
    return "Allocation per operation on tri4j's server threads and on all others (the client)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    serverBefore = serverBytes();
    totalBefore = THREADS.getTotalThreadAllocatedBytes();
  }

  @Override
  public List<ScalarResult> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long total = THREADS.getTotalThreadAllocatedBytes() - totalBefore;
    Map<Long, Long> after = new HashMap<>(closedServer);
    closedServer = Map.of();
    after.putAll(serverBytes());
    long server = 0;
    for (Map.Entry<Long, Long> thread : after.entrySet()) {
      server += thread.getValue() - serverBefore.getOrDefault(thread.getKey(), 0L);
    }
    long ops = result.getMetadata().getAllOps();
    return List.of(
        perOp("alloc.client.norm", total - server, ops), perOp("alloc.server.norm", server, ops));
  }

  /** Counts the server's threads before a trial's teardown ends them. */
  public static void beforeServerCloses() {
    closedServer = serverBytes();
  }

  private static ScalarResult perOp(String label, long bytes, long ops) {
    return new ScalarResult(
        label, ops == 0 ? Double.NaN : (double) bytes / ops, "B/op", AggregationPolicy.AVG);
  }

  /** What each of the server's live threads has allocated since it started, by thread id. */
  private static Map<Long, Long> serverBytes() {
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> server = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && bytes[i] >= 0 && isServer(infos[i].getThreadName())) {
        server.put(ids[i], bytes[i]);
      }
    }
    return server;
  }

  private static boolean isServer(String threadName) {
    for (String prefix : SERVER_THREADS) {
      if (threadName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
