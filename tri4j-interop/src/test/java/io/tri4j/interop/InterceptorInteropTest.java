package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ClientCall;
import io.tri4j.ClientInterceptor;
import io.tri4j.ForwardingClientCall;
import io.tri4j.ForwardingClientCallListener;
import io.tri4j.ForwardingServerCall;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerCall;
import io.tri4j.ServerCallHandler;
import io.tri4j.ServerInterceptor;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.examples.GreeterService;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.dubbo.samples.proto.GreeterGrpc;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What tri4j's interceptors change is on the wire: grpc-java peers, over loopback sockets, see the
 * headers, trailers and statuses that tri4j's client and server interceptors set.
 */
@Timeout(60)
class InterceptorInteropTest {

  private static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  /** Adds a header to every request and records the status and trailers of every response. */
  private static ClientInterceptor tagging(List<String> seen) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
        return new ForwardingClientCall<>(next.newCall(options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            headers.put("x-tagged-by", "tri4j-interceptor");
            super.start(
                new ForwardingClientCallListener<>(listener) {
                  @Override
                  public void onHeaders(Metadata responseHeaders) {
                    seen.add("headers " + responseHeaders.get("x-grpc-java"));
                    super.onHeaders(responseHeaders);
                  }

                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    seen.add(method.method() + " " + status.code());
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  @Test
  void tri4jClientInterceptor_headerReachesGrpcJavaServer_andSeesItsAnswer() throws Exception {
    AtomicReference<String> tag = new AtomicReference<>();
    io.grpc.ServerInterceptor capture =
        new io.grpc.ServerInterceptor() {
          @Override
          public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
              io.grpc.ServerCall<Q, R> call,
              io.grpc.Metadata headers,
              io.grpc.ServerCallHandler<Q, R> next) {
            tag.set(
                headers.get(
                    io.grpc.Metadata.Key.of(
                        "x-tagged-by", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
            return next.startCall(
                new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                  @Override
                  public void sendHeaders(io.grpc.Metadata responseHeaders) {
                    responseHeaders.put(
                        io.grpc.Metadata.Key.of(
                            "x-grpc-java", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                        "yes");
                    super.sendHeaders(responseHeaders);
                  }
                },
                headers);
          }
        };
    io.grpc.Server grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                io.grpc.ServerInterceptors.intercept(new GrpcJavaGreeter().bindService(), capture))
            .build()
            .start();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl(
                    "tri://127.0.0.1:" + grpcServer.getPort() + "/" + GreeterTri4j.SERVICE_NAME)
                .withInterceptors(tagging(seen)))) {
      GreeterReply reply =
          client
              .unary("greet", GreeterRequest::toByteArray, GreeterReply::parseFrom)
              .callAsync(request("grpc"))
              .get(10, TimeUnit.SECONDS);
      assertThat(reply.getMessage()).isEqualTo("hello grpc");
      assertThat(tag.get()).isEqualTo("tri4j-interceptor");
      assertThat(seen).containsExactly("headers yes", "greet OK");
    } finally {
      grpcServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void tri4jServerInterceptor_headersTrailersAndRefusals_reachGrpcJavaClient() throws Exception {
    ServerInterceptor gate =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (!"secret".equals(headers.get("authorization"))) {
              call.close(
                  Status.UNAUTHENTICATED.withDescription("No valid token"),
                  new Metadata().put("x-reason", "missing token"));
              return new ServerCall.Listener<>() {};
            }
            return next.startCall(
                new ForwardingServerCall<>(call) {
                  @Override
                  public void sendHeaders(Metadata responseHeaders) {
                    responseHeaders.put("x-checked", "yes");
                    super.sendHeaders(responseHeaders);
                  }

                  @Override
                  public void close(Status status, Metadata trailers) {
                    trailers.put("x-served-by", "tri4j-interceptor");
                    super.close(status, trailers);
                  }
                },
                headers);
          }
        };
    Server server =
        new Server(
                new ServiceConfig(GreeterService.handler())
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withInterceptors(gate))
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      GreeterGrpc.GreeterBlockingStub plain = GreeterGrpc.newBlockingStub(channel);
      assertThatThrownBy(() -> plain.greet(request("x")))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).isEqualTo("No valid token");
                assertThat(e.getTrailers().get(key("x-reason"))).isEqualTo("missing token");
              });

      io.grpc.Metadata token = new io.grpc.Metadata();
      token.put(key("authorization"), "secret");
      AtomicReference<io.grpc.Metadata> headers = new AtomicReference<>();
      AtomicReference<io.grpc.Metadata> trailers = new AtomicReference<>();
      GreeterGrpc.GreeterBlockingStub authorized =
          GreeterGrpc.newBlockingStub(channel)
              .withInterceptors(
                  MetadataUtils.newAttachHeadersInterceptor(token),
                  MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
      assertThat(authorized.greet(request("world")).getMessage()).isEqualTo("hello world");
      assertThat(headers.get().get(key("x-checked"))).isEqualTo("yes");
      assertThat(trailers.get().get(key("x-served-by"))).isEqualTo("tri4j-interceptor");
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.close();
    }
  }

  private static io.grpc.Metadata.Key<String> key(String name) {
    return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
  }
}
