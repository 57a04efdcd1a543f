package io.tri4j.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.NettyChannelBuilder;
import io.tri4j.Client;
import io.tri4j.Protobuf;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.UnaryCallable;
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
 * One unary call, client and server in this JVM: tri4j's blocking and async clients against tri4j's
 * server over loopback TCP and over the in-memory transport (the same HTTP/2 framing and call
 * handling, no socket), and grpc-java's blocking client against the same server over TCP. The
 * server's handler is async, as generated code's async interface makes it; {@link
 * #tri4jAsyncToBlockingHandler} calls a second server whose handler is the generated blocking
 * interface's (dubbo-python's model), run on the default executor. Run with {@code -prof gc} for
 * the bytes allocated per call, and with {@code -prof io.tri4j.benchmarks.AllocationBySideProfiler}
 * for the client's and the server's share.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class UnaryCallBenchmark {
  private Server server;
  private Client client;
  private UnaryCallable<SimpleRequest, SimpleResponse> tri4jCall;
  private Server blockingHandlerServer;
  private Client blockingHandlerClient;
  private UnaryCallable<SimpleRequest, SimpleResponse> blockingHandlerCall;
  private Client inMemoryClient;
  private UnaryCallable<SimpleRequest, SimpleResponse> inMemoryCall;
  private ManagedChannel channel;
  private BenchmarkServiceGrpc.BenchmarkServiceBlockingStub grpcStub;
  private SimpleRequest request;

  @Setup(Level.Trial)
  public void setUp() {
    ServiceConfig config = new ServiceConfig(BenchmarkService.handler());
    server =
        new Server(
                config.withHost("127.0.0.1").withPort(0),
                config.withInMemoryName("unary-call-benchmark"))
            .start();
    client =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:" + server.port() + "/" + BenchmarkService.NAME));
    tri4jCall =
        client.unary(
            "UnaryCall", Protobuf.serializer(), Protobuf.deserializer(SimpleResponse.parser()));
    blockingHandlerServer =
        new Server(
                new ServiceConfig(BlockingBenchmarkService.handler())
                    .withHost("127.0.0.1")
                    .withPort(0))
            .start();
    blockingHandlerClient =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:" + blockingHandlerServer.port() + "/" + BenchmarkService.NAME));
    blockingHandlerCall =
        blockingHandlerClient.unary(
            "UnaryCall", Protobuf.serializer(), Protobuf.deserializer(SimpleResponse.parser()));
    inMemoryClient =
        new Client(ReferenceConfig.forInMemory("unary-call-benchmark", BenchmarkService.NAME));
    inMemoryCall =
        inMemoryClient.unary(
            "UnaryCall", Protobuf.serializer(), Protobuf.deserializer(SimpleResponse.parser()));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    grpcStub = BenchmarkServiceGrpc.newBlockingStub(channel);
    request = Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, 64, 64);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    client.close();
    inMemoryClient.close();
    blockingHandlerClient.close();
    AllocationBySideProfiler.beforeServerCloses();
    server.close();
    blockingHandlerServer.close();
  }

  @Benchmark
  public SimpleResponse tri4jBlocking() {
    return tri4jCall.call(request);
  }

  @Benchmark
  public SimpleResponse tri4jAsync() throws Exception {
    return tri4jCall.callAsync(request).get();
  }

  @Benchmark
  public SimpleResponse tri4jAsyncToBlockingHandler() throws Exception {
    return blockingHandlerCall.callAsync(request).get();
  }

  @Benchmark
  public SimpleResponse tri4jBlockingInMemory() {
    return inMemoryCall.call(request);
  }

  @Benchmark
  public SimpleResponse tri4jAsyncInMemory() throws Exception {
    return inMemoryCall.callAsync(request).get();
  }

  @Benchmark
  public SimpleResponse grpcJavaClient() {
    return grpcStub.unaryCall(request);
  }
}
