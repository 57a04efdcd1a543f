package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stream tracers on both sides of real loopback calls: the bytes each message takes on the wire.
 */
@Timeout(30)
class StreamTracerTest {
  private static final String SERVICE = EchoService.NAME;
  private static final String LARGE = "x".repeat(10_000);

  /** Sums what it is told. */
  static final class Sums extends StreamTracer {
    final AtomicLong out = new AtomicLong();
    final AtomicLong in = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    final List<Status.Code> closed = new CopyOnWriteArrayList<>();

    @Override
    public void outboundMessage(int wireSize) {
      out.addAndGet(wireSize);
      messages.incrementAndGet();
    }

    @Override
    public void inboundMessage(int wireSize) {
      in.addAndGet(wireSize);
      messages.incrementAndGet();
    }

    @Override
    public void attemptClosed(Status status) {
      closed.add(status.code());
    }
  }

  private final Sums server = new Sums();
  private final Sums client = new Sums();
  private Server s;
  private Client c;

  @AfterEach
  void close() {
    c.close();
    s.close();
  }

  private void start(String compression) {
    s =
        new Server(
                new ServiceConfig(new EchoService().handler())
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withCompression(compression)
                    .withInterceptors(
                        new ServerInterceptor() {
                          @Override
                          public <Q, R> ServerCall.Listener<Q> interceptCall(
                              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> n) {
                            call.addStreamTracer(server);
                            return n.startCall(call, headers);
                          }
                        }))
            .start();
    c =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + s.port() + "/" + SERVICE)
                .withCompression(compression)
                .withInterceptors(
                    new ClientInterceptor() {
                      @Override
                      public <Q, R> ClientCall<Q, R> interceptCall(
                          MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
                        return next.newCall(options.withStreamTracer((p, t, h) -> client));
                      }
                    }));
  }

  @Test
  void unaryCall_compressed_bothSidesCountTheCompressedBytes() {
    start("gzip");

    String reply = c.<String, String>unary("unary", EchoService.SER, EchoService.DES).call(LARGE);

    assertThat(reply).isEqualTo(LARGE);
    assertThat(client.out.get()).isEqualTo(server.in.get()).isPositive().isLessThan(1000);
    assertThat(server.out.get()).isEqualTo(client.in.get()).isPositive().isLessThan(1000);
    assertThat(client.closed).containsExactly(Status.Code.OK);
  }

  @Test
  void bidiCall_uncompressed_countsEveryMessage() {
    start("identity");

    List<String> replies =
        c
            .<String, String>bidiStream("biStream", EchoService.SER, EchoService.DES)
            .call(List.of("a", "bb", "ccc").iterator())
            .stream()
            .toList();

    assertThat(replies).containsExactly("a", "bb", "ccc");
    assertThat(client.out.get()).isEqualTo(server.in.get()).isEqualTo(6);
    assertThat(server.out.get()).isEqualTo(client.in.get()).isEqualTo(6);
    assertThat(client.messages.get()).isEqualTo(6);
    assertThat(server.messages.get()).isEqualTo(6);
  }
}
