package io.tri4j.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.benchmarks.qps.AsyncServer;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link UnaryCallBenchmark}'s call with grpc-java at both ends, as a yardstick for tri4j's bytes
 * per call: grpc-java's server with its benchmark service ({@code AsyncServer}'s, the same
 * response-building code as tri4j's benchmark service), handlers on a {@code ForkJoinPool} of one
 * thread per core as tri4j's async handlers run, and grpc-java's blocking and future stubs, over
 * loopback TCP, the same 64-byte request. The server's threads are named so that {@code -prof
 * io.tri4j.benchmarks.AllocationBySideProfiler} counts them as the server's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GrpcJavaUnaryCallBenchmark {
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ForkJoinPool handlers;
  private Server server;
  private ManagedChannel channel;
  private BenchmarkServiceGrpc.BenchmarkServiceBlockingStub blockingStub;
  private BenchmarkServiceGrpc.BenchmarkServiceFutureStub futureStub;
  private SimpleRequest request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String prefix = AllocationBySideProfiler.PEER_SERVER_THREADS + "grpc-java-";
    boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory(prefix + "boss", true), NioIoHandler.newFactory());
    workers =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory(prefix + "worker", true), NioIoHandler.newFactory());
    handlers =
        new ForkJoinPool(
            Runtime.getRuntime().availableProcessors(),
            pool -> {
              ForkJoinWorkerThread thread =
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
              thread.setName(prefix + "handler-" + thread.getPoolIndex());
              return thread;
            },
            null,
            true);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .channelType(NioServerSocketChannel.class)
            .executor(handlers)
            .addService(new AsyncServer.BenchmarkServiceImpl())
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    blockingStub = BenchmarkServiceGrpc.newBlockingStub(channel);
    futureStub = BenchmarkServiceGrpc.newFutureStub(channel);
    request = Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, 64, 64);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    AllocationBySideProfiler.beforeServerCloses();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    handlers.shutdown();
    workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
  }

  @Benchmark
  public SimpleResponse grpcJavaBlocking() {
    return blockingStub.unaryCall(request);
  }

  @Benchmark
  public SimpleResponse grpcJavaAsync() throws Exception {
    return futureStub.unaryCall(request).get();
  }
}
