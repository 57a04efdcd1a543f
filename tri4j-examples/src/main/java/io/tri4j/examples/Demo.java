package io.tri4j.examples;

import static io.tri4j.examples.GreeterClient.request;

import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ForwardingServerCall;
import io.tri4j.ForwardingServerCallListener;
import io.tri4j.Metadata;
import io.tri4j.ReferenceConfig;
import io.tri4j.Response;
import io.tri4j.Server;
import io.tri4j.ServerCall;
import io.tri4j.ServerCallHandler;
import io.tri4j.ServerInterceptor;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;

/**
 * The demo: a Greeter server and a client in one process. First dubbo-python's samples, every call
 * style; then what dubbo-python's samples do not show: a deadline, an error status, metadata and
 * cancellation, each with what the server saw.
 */
final class Demo {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** What the server saw of calls that ended early, in the order they ended. */
  private final BlockingQueue<Status> serverCancels = new LinkedBlockingQueue<>();

  private final PrintStream out;

  Demo(PrintStream out) {
    this.out = out;
  }

  int run() throws InterruptedException {
    out.println(
        "tri4j demo: a Greeter server and a client in one process, over HTTP/2 on loopback.");
    ServiceConfig config =
        new ServiceConfig(GreeterService.handler())
            .withHost("127.0.0.1")
            .withPort(0)
            .withInterceptors(new ServerSide());
    try (Server server = new Server(config).start()) {
      String target = "tri://127.0.0.1:" + server.port() + "/" + GreeterTri4j.SERVICE_NAME;
      out.println("Server started on port " + server.port() + ".");
      out.println();
      int failures = Main.client(target, out);
      out.println();
      out.println("Beyond dubbo-python's samples:");
      try (Client client = new Client(ReferenceConfig.fromUrl(target))) {
        GreeterTri4j.GreeterStub stub = new GreeterTri4j.GreeterStub(client);
        deadline(stub);
        errorStatus(client);
        metadata(stub);
        cancellation(stub);
      }
      return failures;
    }
  }

  /** A bidi call that must end within 300 ms, to a server that waits for requests. */
  private void deadline(GreeterTri4j.GreeterStub stub) throws InterruptedException {
    out.println("* deadline: a call given 300 ms, to a server still waiting for its requests");
    serverCancels.clear(); // only this call's end is reported
    long start = System.nanoTime();
    try (StreamingCall<GreeterRequest, GreeterReply> call =
        stub.biStream(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)))) {
      call.read();
      out.println("  unexpected: a reply before the deadline");
    } catch (StatusException e) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      out.println("  The client gave up after about " + millis + " ms: " + e.getStatus());
    }
    reportServerSide();
  }

  /** A call to a method the server does not have, through the hand-written API. */
  private void errorStatus(Client client) {
    out.println("* error status: a call to a method the server does not have");
    try {
      client
          .unary("farewell", GreeterRequest::toByteArray, GreeterReply::parseFrom)
          .call(request("demo"));
      out.println("  unexpected: an answer");
    } catch (StatusException e) {
      out.println("  The call failed with " + e.getStatus());
    }
  }

  /** A request header in, a response header and a trailer back (set by {@link ServerSide}). */
  private void metadata(GreeterTri4j.GreeterStub stub) {
    out.println("* metadata: the request carries the header x-request-id: demo-42");
    Response<GreeterReply> response =
        stub.greetForResponse(
            request("metadata"),
            CallOptions.DEFAULT.withHeaders(new Metadata().put("x-request-id", "demo-42")));
    out.println("  Received reply: " + response.message().getMessage());
    out.println("  Response header x-served-by: " + response.headers().get("x-served-by"));
    out.println("  Trailer x-request-id: " + response.trailers().get("x-request-id"));
  }

  /** A bidi call the client cancels after its first reply. */
  private void cancellation(GreeterTri4j.GreeterStub stub) throws InterruptedException {
    out.println("* cancellation: the client cancels a bidi call after its first reply");
    serverCancels.clear(); // only this call's end is reported
    try (StreamingCall<GreeterRequest, GreeterReply> call = stub.biStream()) {
      call.write(request("first"));
      out.println("  Received reply: " + call.read().getMessage());
      call.cancel("the demo needs no more");
      try {
        call.read();
        out.println("  unexpected: a reply after the cancel");
      } catch (StatusException e) {
        out.println("  Reading after the cancel: " + e.getStatus());
      }
    }
    reportServerSide();
  }

  private void reportServerSide() throws InterruptedException {
    Status status = serverCancels.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    out.println(
        status == null
            ? "  unexpected: the server was not told"
            : "  The server's handler was stopped too: " + status.code());
  }

  /**
   * The demo server's interceptor: answers a request's {@code x-request-id} in the trailers, names
   * itself in a response header, and notes calls that end early.
   */
  private final class ServerSide implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String requestId = headers.get("x-request-id");
      ServerCall<Q, R> answering =
          new ForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              super.sendHeaders(responseHeaders.put("x-served-by", "tri4j-demo"));
            }

            @Override
            public void close(Status status, Metadata trailers) {
              super.close(
                  status, requestId == null ? trailers : trailers.put("x-request-id", requestId));
            }
          };
      return new ForwardingServerCallListener<>(next.startCall(answering, headers)) {
        @Override
        public void onCancel(Status status) {
          serverCancels.add(status);
          super.onCancel(status);
        }
      };
    }
  }
}
