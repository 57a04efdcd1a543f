package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.examples.GreeterService;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterGrpc;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real grpc-java client against tri4j's server, over a loopback socket. */
@Timeout(60)
class GrpcJavaClientToTriServerTest {
  static final String NON_ASCII = TriClientToGrpcJavaServerTest.NON_ASCII;

  static Server greeterServer;
  static Server failingServer;
  static ManagedChannel channel;
  static ManagedChannel failingChannel;

  @BeforeAll
  static void start() {
    greeterServer =
        new Server(new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
            .start();
    failingServer =
        new Server(new ServiceConfig(failingGreeter()).withHost("127.0.0.1").withPort(0)).start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", greeterServer.port()).usePlaintext().build();
    failingChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", failingServer.port()).usePlaintext().build();
  }

  /** A tri4j Greeter whose every method fails with a non-ASCII message. */
  static RpcServiceHandler failingGreeter() {
    io.tri4j.StatusException failure =
        Status.INVALID_ARGUMENT.withDescription(NON_ASCII).asException();
    return new RpcServiceHandler(
        GreeterTri4j.SERVICE_NAME,
        Map.of(
            "greet",
            RpcMethodHandler.<GreeterRequest, GreeterReply>unary(
                request -> {
                  throw failure;
                },
                GreeterRequest::parseFrom,
                GreeterReply::toByteArray),
            "serverStream",
            RpcMethodHandler.<GreeterRequest, GreeterReply>serverStream(
                (request, replies) -> {
                  replies.write(GreeterReply.newBuilder().setMessage("first").build());
                  throw failure;
                },
                GreeterRequest::parseFrom,
                GreeterReply::toByteArray)));
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    failingChannel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    greeterServer.close();
    failingServer.close();
  }

  private static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  /** Collects the replies of an async call. */
  static final class Collector implements StreamObserver<GreeterReply> {
    final List<String> messages = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public void onNext(GreeterReply reply) {
      messages.add(reply.getMessage());
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(messages);
    }
  }

  @Test
  void unary_blockingStub() {
    GreeterReply reply = GreeterGrpc.newBlockingStub(channel).greet(request("grpc-java"));
    assertThat(reply.getMessage()).isEqualTo("hello grpc-java");
  }

  @Test
  void clientStream_asyncStub() throws Exception {
    Collector replies = new Collector();
    StreamObserver<GreeterRequest> requests = GreeterGrpc.newStub(channel).clientStream(replies);
    for (String name : List.of("hello", "from", "grpc-java")) {
      requests.onNext(request(name));
    }
    requests.onCompleted();
    assertThat(replies.done.get(10, TimeUnit.SECONDS)).containsExactly("hello from grpc-java");
  }

  @Test
  void serverStream_blockingIterator() {
    Iterator<GreeterReply> replies =
        GreeterGrpc.newBlockingStub(channel).serverStream(request("n"));
    List<String> got = new ArrayList<>();
    replies.forEachRemaining(r -> got.add(r.getMessage()));
    assertThat(got).containsExactly("n-0", "n-1", "n-2");
  }

  @Test
  void bidiStream_pingPong() throws Exception {
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<GreeterRequest> requests =
        GreeterGrpc.newStub(channel)
            .biStream(
                new StreamObserver<>() {
                  @Override
                  public void onNext(GreeterReply reply) {
                    received.add(reply.getMessage());
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(null);
                  }
                });
    for (String name : List.of("ping", "pong", "ping")) {
      requests.onNext(request(name));
      // Each reply arrives before the next request is sent.
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(name);
    }
    requests.onCompleted();
    done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void unary_errorWithNonAsciiMessage_arrivesIntact() {
    assertThatThrownBy(() -> GreeterGrpc.newBlockingStub(failingChannel).greet(request("x")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).isEqualTo(NON_ASCII);
            });
  }

  @Test
  void serverStream_errorAfterAMessage_arrivesAfterIt() {
    Iterator<GreeterReply> replies =
        GreeterGrpc.newBlockingStub(failingChannel).serverStream(request("x"));
    assertThat(replies.next().getMessage()).isEqualTo("first");
    assertThatThrownBy(replies::hasNext)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).isEqualTo(NON_ASCII);
            });
  }

  @Test
  void unimplementedMethod_isUnimplemented() {
    Collector replies = new Collector();
    StreamObserver<GreeterRequest> requests =
        GreeterGrpc.newStub(failingChannel).clientStream(replies);
    requests.onCompleted();
    assertThatThrownBy(() -> replies.done.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StatusRuntimeException.class)
        .cause()
        .satisfies(
            t ->
                assertThat(((StatusRuntimeException) t).getStatus().getCode())
                    .isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED));
  }
}
