package io.tri4j.examples;

import io.tri4j.Client;
import io.tri4j.ReadResult;
import io.tri4j.ReadStream;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;

/**
 * dubbo-python's client samples in Java, on the stub protoc-gen-tri4j generates, run against any
 * Greeter server, each checked against the fixed behaviour of {@link GreeterService}.
 */
public final class GreeterClient {
  private static final List<String> NAMES = List.of("hello", "world", "from", "tri4j");

  private final GreeterTri4j.GreeterStub stub;
  private final PrintStream out;
  private int failures;

  public GreeterClient(Client client, PrintStream out) {
    this.stub = new GreeterTri4j.GreeterStub(client);
    this.out = out;
  }

  /** A request for {@code name}. */
  public static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  /** Runs every sample; returns how many gave a wrong answer or failed. */
  public int runAll() {
    step("unary: greet(world)", this::unary);
    step("client stream from an iterator of requests", this::clientStreamFromIterator);
    step("client stream with write() and doneWriting()", this::clientStreamWithWrites);
    step("server stream: one request, three replies", this::serverStream);
    step("bidi stream with write(), doneWriting() and read(timeout)", this::bidiWithReadTimeout);
    step("bidi stream with iterators (dubbo-python's generator sample)", this::bidiWithIterators);
    step("bidi ping-pong: each reply before the next request", this::bidiPingPong);
    return failures;
  }

  private void unary() {
    GreeterReply reply = stub.greet(request("world"));
    out.println("  Received reply: " + reply.getMessage());
    expect(reply.getMessage(), "hello world");
  }

  /** dubbo-python: {@code stub.client_stream(request_generator())}. */
  private void clientStreamFromIterator() {
    Iterator<GreeterRequest> requests = NAMES.stream().map(GreeterClient::request).iterator();
    GreeterReply reply = stub.clientStream(requests);
    out.println("  Received reply: " + reply.getMessage());
    expect(reply.getMessage(), String.join(" ", NAMES));
  }

  private void clientStreamWithWrites() {
    StreamingCall<GreeterRequest, GreeterReply> call = stub.clientStream();
    for (String name : NAMES) {
      call.write(request(name));
    }
    call.doneWriting();
    GreeterReply reply = call.read();
    out.println("  Received reply: " + reply.getMessage());
    expect(reply.getMessage(), String.join(" ", NAMES));
  }

  private void serverStream() {
    List<String> got = new ArrayList<>();
    try (ReadStream<GreeterReply> replies = stub.serverStream(request("tri4j"))) {
      for (GreeterReply reply : replies) {
        out.println("  Received reply: " + reply.getMessage());
        got.add(reply.getMessage());
      }
    }
    expect(got, List.of("tri4j-0", "tri4j-1", "tri4j-2"));
  }

  /**
   * dubbo-python's write stream and its {@code read(timeout=0.5)} loop: a message, {@code None}
   * (timeout) or {@code EOF} (end of stream).
   */
  private void bidiWithReadTimeout() {
    List<String> names = List.of("jock", "jane", "alice", "dave");
    StreamingCall<GreeterRequest, GreeterReply> stream = stub.biStream();
    for (String name : names) {
      stream.write(request(name));
    }
    stream.doneWriting();
    List<String> got = new ArrayList<>();
    while (true) {
      ReadResult<GreeterReply> result = stream.read(Duration.ofMillis(500));
      if (result.isEndOfStream()) {
        break;
      } else if (result.isTimeout()) {
        out.println("  No message received");
        continue;
      }
      out.println("  Received reply: " + result.message().getMessage());
      got.add(result.message().getMessage());
    }
    expect(got, names);
  }

  /** dubbo-python: a generator of requests in, an iterator of replies out. */
  private void bidiWithIterators() {
    Iterator<GreeterRequest> requests = NAMES.stream().map(GreeterClient::request).iterator();
    List<String> got = new ArrayList<>();
    for (GreeterReply reply : stub.biStream(requests)) {
      out.println("  Received reply: " + reply.getMessage());
      got.add(reply.getMessage());
    }
    expect(got, NAMES);
  }

  private void bidiPingPong() {
    List<String> got = new ArrayList<>();
    try (StreamingCall<GreeterRequest, GreeterReply> call = stub.biStream()) {
      for (String name : List.of("ping", "pong", "ping")) {
        call.write(request(name));
        ReadResult<GreeterReply> reply = call.read(Duration.ofSeconds(10));
        String message = reply.isMessage() ? reply.message().getMessage() : reply.kind().toString();
        out.println("  Sent " + name + ", received " + message);
        got.add(message);
      }
      call.doneWriting();
      if (call.read() != null) {
        fail("expected the end of the stream after the last reply");
      }
    }
    expect(got, List.of("ping", "pong", "ping"));
  }

  private void step(String title, Runnable sample) {
    out.println("* " + title);
    try {
      sample.run();
    } catch (StatusException e) {
      fail("call failed with " + e.getStatus());
    } catch (RuntimeException e) {
      fail("sample failed: " + e);
    }
  }

  private void expect(Object got, Object want) {
    if (!Objects.equals(got, want)) {
      fail("expected " + want + " but got " + got);
    }
  }

  private void fail(String message) {
    failures++;
    out.println("  MISMATCH: " + message);
  }
}
