package io.tri4j.interop;

import static io.tri4j.examples.GreeterClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import io.tri4j.examples.GreeterService;
import io.tri4j.testing.Closer;
import io.tri4j.testing.LogCapture;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.dubbo.samples.proto.GreeterGrpc;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gRPC's keepalive policy between tri4j and grpc-java, both ways: a client that pings more often
 * than the server permits gets GOAWAY {@code ENHANCE_YOUR_CALM} with {@code too_many_pings}, its
 * call in flight ends at once with that reason, and the server goes on serving. Pings every 100 ms
 * against a permitted 5 s make the third strike come within half a second.
 */
@Timeout(60)
class KeepAliveInteropTest {
  private static final Duration AGGRESSIVE = Duration.ofMillis(100);
  private static final Duration PERMITTED = Duration.ofSeconds(5);

  @RegisterExtension final Closer closer = new Closer();

  private ManagedChannel grpcChannel(int port, Duration keepAliveTime) throws Exception {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
    if (keepAliveTime != null) {
      builder.keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS);
      // grpc-java raises any keepAliveTime to at least 10 s; set below that to keep the test short.
      Field time = NettyChannelBuilder.class.getDeclaredField("keepAliveTimeNanos");
      time.setAccessible(true);
      time.setLong(builder, keepAliveTime.toNanos());
    }
    ManagedChannel channel = builder.build();
    closer.add(() -> channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return channel;
  }

  @Test
  void grpcJavaClientPingingTooOften_tri4jServer_tooManyPingsAndCallInFlightUnavailable()
      throws Exception {
    Server server =
        closer.add(
            new Server(
                    ServerOptions.defaults().withPermitKeepAliveTime(PERMITTED),
                    new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
                .start());
    ManagedChannel pinging = grpcChannel(server.port(), AGGRESSIVE);
    try (JulCapture grpcLog = JulCapture.open()) {
      // A bidi call the server has nothing to answer to yet: no data forgives the pings.
      GrpcJavaClientToTriServerTest.Collector outcome =
          new GrpcJavaClientToTriServerTest.Collector();
      GreeterGrpc.newStub(pinging).biStream(outcome);

      Throwable error = outcome.done.handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
      io.grpc.Status status = io.grpc.Status.fromThrowable(error);
      // The call ends, not lost; grpc-java names ENHANCE_YOUR_CALM by gRPC's table of HTTP/2 codes.
      assertThat(status.getCode())
          .as(status.toString())
          .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
      assertThat(status.getDescription()).contains("ENHANCE_YOUR_CALM").contains("too_many_pings");
      // grpc-java says so, and pings half as often on its next connection.
      assertThat(grpcLog.messages)
          .anySatisfy(m -> assertThat(m).contains("too_many_pings"))
          .anySatisfy(m -> assertThat(m).contains("Increased keepalive time nanos to 200,000,000"));
    }
    // The server goes on serving, the same channel included (on a new connection).
    assertThat(
            GreeterGrpc.newBlockingStub(grpcChannel(server.port(), null))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .greet(request("calm"))
                .getMessage())
        .isEqualTo("hello calm");
    assertThat(
            GreeterGrpc.newBlockingStub(pinging)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .greet(request("again"))
                .getMessage())
        .isEqualTo("hello again");
  }

  @Test
  void tri4jClientPingingTooOften_grpcJavaServer_tooManyPingsDoublesTheKeepAliveTime()
      throws Exception {
    io.grpc.Server grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .permitKeepAliveTime(PERMITTED.toMillis(), TimeUnit.MILLISECONDS)
            .addService(new GrpcJavaGreeter())
            .build()
            .start();
    closer.add(() -> grpcServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    Client client =
        closer.add(
            new Client(
                ReferenceConfig.fromUrl(
                        "tri://127.0.0.1:" + grpcServer.getPort() + "/" + GreeterTri4j.SERVICE_NAME)
                    .withKeepAliveTime(AGGRESSIVE)));

    try (LogCapture logs = LogCapture.open()) {
      // A bidi call the server has nothing to answer to yet: no data forgives the pings.
      StreamingCall<GreeterRequest, GreeterReply> bidi =
          client
              .bidiStream("biStream", GreeterRequest::toByteArray, GreeterReply::parseFrom)
              .call();

      assertThatThrownBy(bidi::read)
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().description()).contains("too_many_pings");
              });
      // What tri4j shows of its keepalive: the next connection pings every 200 ms.
      assertThat(logs.events())
          .anySatisfy(
              e ->
                  assertThat(e.message())
                      .contains("too_many_pings")
                      .contains("keepalive time raised to 200 ms"));
    }
    assertThat(new GreeterTri4j.GreeterStub(client).greet(request("again")).getMessage())
        .isEqualTo("hello again");
  }

  /**
   * Takes what grpc-java's client logs (java.util.logging) under {@code io.grpc} while open, as
   * formatted messages, instead of printing it.
   */
  private static final class JulCapture extends Handler implements AutoCloseable {
    final List<String> messages = new CopyOnWriteArrayList<>();
    // Held: java.util.logging keeps loggers only weakly, and a new one would print again.
    private final Logger logger = Logger.getLogger("io.grpc");

    static JulCapture open() {
      JulCapture capture = new JulCapture();
      capture.logger.setUseParentHandlers(false);
      capture.logger.addHandler(capture);
      return capture;
    }

    @Override
    public void publish(LogRecord record) {
      messages.add(new SimpleFormatter().formatMessage(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
      logger.setUseParentHandlers(true);
    }
  }
}
