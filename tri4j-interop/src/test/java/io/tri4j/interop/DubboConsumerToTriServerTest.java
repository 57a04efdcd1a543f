package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.ReadStream;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerContext;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.WriteStream;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.rpc.StatusRpcException;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.Greeter;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real Apache Dubbo 3.3 consumer against tri4j's server, over loopback. */
@Timeout(60)
class DubboConsumerToTriServerTest {
  static final String NON_ASCII = "nicht gefunden: grün – 名前 ✗ 100% a+b";
  static final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  static Server server;

  private static GreeterReply reply(String message) {
    return GreeterReply.newBuilder().setMessage(message).build();
  }

  /** The example Greeter, plus: greet("error:X") fails, greet("sleep:N") waits for cancellation. */
  static RpcServiceHandler greeter(String prefix) {
    return new RpcServiceHandler(
        GreeterTri4j.SERVICE_NAME,
        Map.of(
            "greet",
            RpcMethodHandler.<GreeterRequest, GreeterReply>unary(
                request -> {
                  String name = request.getName();
                  if (name.startsWith("error:")) {
                    throw Status.NOT_FOUND.withDescription(name.substring(6)).asException();
                  }
                  if (name.startsWith("sleep:")) {
                    ServerContext ctx = ServerContext.current();
                    long end =
                        System.nanoTime()
                            + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(name.substring(6)));
                    while (System.nanoTime() < end && !ctx.isCancelled()) {
                      Thread.sleep(5);
                    }
                    events.add(ctx.isCancelled() ? "sleep:cancelled" : "sleep:completed");
                  }
                  return reply(prefix + "hello " + name);
                },
                GreeterRequest::parseFrom,
                GreeterReply::toByteArray),
            "clientStream",
            RpcMethodHandler.<GreeterRequest, GreeterReply>clientStream(
                (ReadStream<GreeterRequest> requests) -> {
                  StringJoiner names = new StringJoiner(" ");
                  requests.forEach(r -> names.add(r.getName()));
                  return reply(names.toString());
                },
                GreeterRequest::parseFrom,
                GreeterReply::toByteArray),
            "serverStream",
            RpcMethodHandler.<GreeterRequest, GreeterReply>serverStream(
                (GreeterRequest request, WriteStream<GreeterReply> out) -> {
                  for (int i = 0; i < 3; i++) {
                    out.write(reply(request.getName() + "-" + i));
                  }
                },
                GreeterRequest::parseFrom,
                GreeterReply::toByteArray),
            "biStream",
            RpcMethodHandler.<GreeterRequest, GreeterReply>biStream(
                (ReadStream<GreeterRequest> requests, WriteStream<GreeterReply> out) -> {
                  for (GreeterRequest r : requests) {
                    out.write(reply(r.getName()));
                  }
                },
                GreeterRequest::parseFrom,
                GreeterReply::toByteArray)));
  }

  @BeforeAll
  static void start() {
    // One port: the plain service and a second version of it.
    server =
        new Server(
                new ServiceConfig(greeter("")).withHost("127.0.0.1").withPort(0),
                new ServiceConfig(greeter("v2 "))
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withVersion("2.0.0"),
                new ServiceConfig(greeter("g1 ")).withHost("127.0.0.1").withPort(0).withGroup("g1"))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    FrameworkModel.destroyAll();
  }

  private static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  @Test
  void allFourStyles() throws Exception {
    try (DubboPeers.Running consumer = DubboPeers.consumer(server.port(), null, 5000)) {
      Greeter greeter = consumer.greeter();
      assertThat(greeter.greet(request("dubbo")).getMessage()).isEqualTo("hello dubbo");

      DubboPeers.assertStreamingStyles(greeter);
    }
  }

  @Test
  void error_nonAsciiMessage_reachesDubboIntact() {
    try (DubboPeers.Running consumer = DubboPeers.consumer(server.port(), null, 5000)) {
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> consumer.greeter().greet(request("error:" + NON_ASCII)));
      StatusRpcException status = find(thrown, StatusRpcException.class);
      assertThat(status).as("a StatusRpcException in " + thrown).isNotNull();
      assertThat(status.getStatus().code.name()).isEqualTo("NOT_FOUND");
      assertThat(status.getStatus().description).isEqualTo(NON_ASCII);
    }
  }

  @Test
  void deadline_dubboTimeout_endsTheCallOnTheServerToo() throws Exception {
    events.clear();
    try (DubboPeers.Running consumer = DubboPeers.consumer(server.port(), null, 300)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> consumer.greeter().greet(request("sleep:5000")))
          .isInstanceOf(RuntimeException.class);
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
      // Dubbo sent grpc-timeout; tri4j's server enforced it and freed the handler.
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("sleep:cancelled");
    }
  }

  @Test
  void version_routesToThatRegistration_andOthersFallBack() {
    try (DubboPeers.Running v2 = DubboPeers.consumer(server.port(), "2.0.0", 5000);
        DubboPeers.Running v9 = DubboPeers.consumer(server.port(), "9.9.9", 5000)) {
      assertThat(v2.greeter().greet(request("x")).getMessage()).isEqualTo("v2 hello x");
      assertThat(v9.greeter().greet(request("x")).getMessage()).isEqualTo("hello x");
    }
  }

  @Test
  void group_routesToThatRegistration() {
    try (DubboPeers.Running g1 = DubboPeers.consumer(server.port(), null, "g1", 5000)) {
      assertThat(g1.greeter().greet(request("x")).getMessage()).isEqualTo("g1 hello x");
    }
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
