package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.tri4j.Client;
import io.tri4j.Protobuf;
import io.tri4j.ReferenceConfig;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerContext;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.testing.Closer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP/1.1 + JSON calls over real sockets: order, the server's call limit, and disconnects. */
@Timeout(60)
class Http1HandlerTest {
  @RegisterExtension final Closer closer = new Closer();

  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch parked = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);

  /**
   * "svc.Json": "echo" answers its request after sleeping the milliseconds after its ':'; "park"
   * waits for the test; "events" sends one event, then waits for its cancellation.
   */
  private Server server(ServerOptions options) {
    RpcServiceHandler service =
        new RpcServiceHandler(
            "svc.Json",
            Map.of(
                "echo",
                RpcMethodHandler.unary(
                    (StringValue v) -> {
                      Thread.sleep(Long.parseLong(v.getValue().split(":")[1]));
                      return v;
                    },
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer()),
                "park",
                RpcMethodHandler.unary(
                    (StringValue v) -> {
                      parked.countDown();
                      release.await();
                      return v;
                    },
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer()),
                "events",
                RpcMethodHandler.serverStream(
                    (StringValue v, io.tri4j.WriteStream<StringValue> events) -> {
                      ServerContext.current().addCancelListener(cancelled::countDown);
                      events.write(v);
                      parked.countDown();
                      release.await(); // writes nothing more: only a read sees the client leave
                    },
                    Protobuf.deserializer(StringValue.parser()),
                    Protobuf.serializer())));
    return closer.add(
        new Server(options, new ServiceConfig(service).withHost("127.0.0.1").withPort(0)).start());
  }

  private Socket connect(Server server) throws IOException {
    Socket socket = closer.add(new Socket("127.0.0.1", server.port()));
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static byte[] post(String method, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /svc.Json/"
            + method
            + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** One response with a Content-Length: its status code and body. */
  private record Response(int status, String body) {}

  private static Response readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    int length = 0;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return new Response(
        Integer.parseInt(statusLine.split(" ")[1]), new String(body, StandardCharsets.UTF_8));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("The server closed the connection");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void pipelinedRequests_areAnsweredInOrder() throws Exception {
    Socket socket = connect(server(ServerOptions.defaults()));
    int count = 12;
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // The first requests take longest: answered as they finish, they would come back reversed.
      String value = "r" + i + ":" + (count - i) * 5;
      sent.add("\"" + value + "\"");
      all.writeBytes(post("echo", "\"" + value + "\""));
    }
    all.writeBytes(post("nowhere", "\"x\"")); // a refusal waits its turn too
    OutputStream out = socket.getOutputStream();
    out.write(all.toByteArray()); // one write: the requests arrive together
    out.flush();

    InputStream in = socket.getInputStream();
    List<String> answered = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Response response = readResponse(in);
      assertThat(response.status()).isEqualTo(200);
      answered.add(response.body());
    }
    assertThat(answered).containsExactlyElementsOf(sent);
    assertThat(readResponse(in).status()).isEqualTo(404);
  }

  @Test
  void malformedEscapes_areRefused400_firstOrBehindACall_andTheConnectionServesOn()
      throws Exception {
    Socket socket = connect(server(ServerOptions.defaults()));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(
        "GET /svc.Json/echo?message=%zz HTTP/1.1\r\nHost: test\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    all.writeBytes(post("echo", "\"slow:50\""));
    // Behind a call, it is served from the call's answer: it must not stall the connection.
    all.writeBytes(
        "POST /svc.Json/ec%zho HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    all.writeBytes(post("echo", "\"after:0\""));
    socket.getOutputStream().write(all.toByteArray());

    InputStream in = socket.getInputStream();
    Response first = readResponse(in);
    assertThat(first.status()).isEqualTo(400);
    assertThat(first.body()).contains("invalid_argument").contains("%-escape");
    assertThat(readResponse(in).body()).isEqualTo("\"slow:50\"");
    assertThat(readResponse(in).status()).isEqualTo(400);
    assertThat(readResponse(in).body()).isEqualTo("\"after:0\"");
  }

  @Test
  void http1Calls_countInTheServersCallLimit() throws Exception {
    Server server = server(ServerOptions.defaults().withMaxConcurrentCalls(1));
    Socket first = connect(server);
    first.getOutputStream().write(post("park", "\"first\""));
    assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();

    Socket second = connect(server);
    second.getOutputStream().write(post("echo", "\"second:0\""));
    Response refused = readResponse(second.getInputStream());
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body()).contains("withMaxConcurrentCalls");
    try (Client grpc =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/svc.Json"))) {
      StatusException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusException.class,
              () ->
                  grpc.unary(
                          "echo",
                          Protobuf.<StringValue>serializer(),
                          Protobuf.deserializer(StringValue.parser()))
                      .call(StringValue.of("http2:0")));
      assertThat(e.getStatus().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    release.countDown();
    assertThat(readResponse(first.getInputStream()).body()).isEqualTo("\"first\"");
    second.getOutputStream().write(post("echo", "\"again:0\""));
    assertThat(readResponse(second.getInputStream()).body())
        .as("the call's place was given back")
        .isEqualTo("\"again:0\"");
  }

  @Test
  void serverSentEvents_clientDisconnecting_cancelsTheHandlerAtOnce() throws Exception {
    Socket socket = connect(server(ServerOptions.defaults()));
    socket.getOutputStream().write(post("events", "\"e\""));
    assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 200");

    socket.close();

    assertThat(cancelled.await(10, TimeUnit.SECONDS))
        .as("cancelled while the handler writes nothing")
        .isTrue();
    release.countDown();
  }
}
