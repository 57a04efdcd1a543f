package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.CallOptions;
import io.tri4j.ReadStream;
import io.tri4j.RequestObserver;
import io.tri4j.ResponseStream;
import io.tri4j.StreamObserver;
import io.tri4j.StreamingCall;
import io.tri4j.WriteStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;

/**
 * The example Greeter on the interface protoc-gen-tri4j generates ({@code hello <name>}, the names
 * joined, {@code name-0} to {@code name-2}, each name echoed), and the checks of every call style
 * of the generated stub against a server that behaves so.
 */
final class GeneratedGreeter implements GreeterTri4j.Greeter {

  static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  private static GreeterReply reply(String message) {
    return GreeterReply.newBuilder().setMessage(message).build();
  }

  @Override
  public GreeterReply greet(GreeterRequest request) {
    return reply("hello " + request.getName());
  }

  @Override
  public GreeterReply clientStream(ReadStream<GreeterRequest> requests) {
    StringJoiner names = new StringJoiner(" ");
    requests.forEach(request -> names.add(request.getName()));
    return reply(names.toString());
  }

  @Override
  public Iterator<GreeterReply> serverStream(GreeterRequest request) {
    String name = request.getName();
    return List.of(reply(name + "-0"), reply(name + "-1"), reply(name + "-2")).iterator();
  }

  @Override
  public void biStream(ReadStream<GreeterRequest> requests, WriteStream<GreeterReply> responses) {
    requests.forEach(request -> responses.write(reply(request.getName())));
  }

  /** Every call style of {@code stub}, blocking and async, against the example Greeter. */
  static void assertEveryStyle(GreeterTri4j.GreeterStub stub) throws Exception {
    CallOptions options = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
    assertThat(stub.greet(request("a")).getMessage()).isEqualTo("hello a");
    assertThat(stub.greetAsync(request("b"), options).get(10, TimeUnit.SECONDS).getMessage())
        .isEqualTo("hello b");

    assertThat(stub.clientStream(List.of(request("c"), request("d"))).getMessage())
        .isEqualTo("c d");
    try (StreamingCall<GreeterRequest, GreeterReply> call = stub.clientStream(options)) {
      call.write(request("e"));
      call.doneWriting();
      assertThat(call.read().getMessage()).isEqualTo("e");
    }
    Collect single = new Collect();
    RequestObserver<GreeterRequest> requests = stub.clientStreamAsync(single);
    requests.onNext(request("f"));
    requests.onNext(request("g"));
    requests.onCompleted();
    assertThat(single.await()).containsExactly("f g");

    try (ResponseStream<GreeterReply> replies = stub.serverStream(request("h"))) {
      assertThat(messages(replies)).containsExactly("h-0", "h-1", "h-2");
    }
    Collect stream = new Collect();
    stub.serverStreamAsync(request("i"), stream, options);
    assertThat(stream.await()).containsExactly("i-0", "i-1", "i-2");

    try (ResponseStream<GreeterReply> replies =
        stub.biStream(List.of(request("j"), request("k")))) {
      assertThat(messages(replies)).containsExactly("j", "k");
    }
    try (StreamingCall<GreeterRequest, GreeterReply> call = stub.biStream()) {
      call.write(request("ping"));
      assertThat(call.read().getMessage()).isEqualTo("ping");
      call.doneWriting();
      assertThat(call.read()).isNull();
    }
    Collect echoes = new Collect();
    RequestObserver<GreeterRequest> bidi = stub.biStreamAsync(echoes);
    bidi.onNext(request("l"));
    bidi.onCompleted();
    assertThat(echoes.await()).containsExactly("l");
  }

  private static List<String> messages(Iterable<GreeterReply> replies) {
    List<String> messages = new ArrayList<>();
    replies.forEach(reply -> messages.add(reply.getMessage()));
    return messages;
  }

  /** Collects the messages of an async call. */
  private static final class Collect implements StreamObserver<GreeterReply> {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public void onNext(GreeterReply reply) {
      messages.add(reply.getMessage());
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      done.complete(messages);
    }

    List<String> await() throws Exception {
      return done.get(10, TimeUnit.SECONDS);
    }
  }
}
