package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tri4j.Server;
import io.tri4j.examples.GreeterServer;
import io.tri4j.services.health.HealthStatusManager;
import io.tri4j.services.health.v1.HealthCheckResponse.ServingStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * grpc-java's own health and reflection clients (grpc-services) against a tri4j server serving
 * Greeter with tri4j-services' health and reflection.
 */
@Timeout(60)
class HealthReflectionGrpcJavaTest {
  private final HealthStatusManager health = new HealthStatusManager();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server = new Server(GreeterServer.configs("127.0.0.1", 0, health, true)).start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }

  private static HealthCheckRequest service(String name) {
    return HealthCheckRequest.newBuilder().setService(name).build();
  }

  @Test
  void healthCheck_serverAndService_theirStatus_unknownServiceNotFound() {
    HealthGrpc.HealthBlockingStub stub =
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    health.setStatus(GreeterTri4j.SERVICE_NAME, ServingStatus.NOT_SERVING);

    assertThat(stub.check(service("")).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(stub.check(service(GreeterTri4j.SERVICE_NAME)).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    assertThatThrownBy(() -> stub.check(service("test.Nobody")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void healthWatch_unknownThenEachChange_terminalStateNotServing() throws Exception {
    BlockingQueue<HealthCheckResponse.ServingStatus> statuses = new LinkedBlockingQueue<>();
    HealthGrpc.newStub(channel)
        .watch(
            service(GreeterTri4j.SERVICE_NAME),
            new io.grpc.stub.StreamObserver<>() {
              @Override
              public void onNext(HealthCheckResponse response) {
                statuses.add(response.getStatus());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    assertThat(statuses.poll(10, TimeUnit.SECONDS))
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN);

    health.setStatus(GreeterTri4j.SERVICE_NAME, ServingStatus.SERVING);
    assertThat(statuses.poll(10, TimeUnit.SECONDS))
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    health.enterTerminalState();
    assertThat(statuses.poll(10, TimeUnit.SECONDS))
        .isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
  }

  /** Asks each request on one reflection stream of grpc-java's v1 stub; returns the answers. */
  private List<ServerReflectionResponse> reflect(ServerReflectionRequest... requests)
      throws InterruptedException {
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    ClientResponseObserver<ServerReflectionRequest, ServerReflectionResponse> observer =
        new ClientResponseObserver<>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<ServerReflectionRequest> stream) {}

          @Override
          public void onNext(ServerReflectionResponse response) {
            answers.add(response);
          }

          @Override
          public void onError(Throwable t) {
            answers.add(t);
          }

          @Override
          public void onCompleted() {
            answers.add("completed");
          }
        };
    io.grpc.stub.StreamObserver<ServerReflectionRequest> out =
        ServerReflectionGrpc.newStub(channel).serverReflectionInfo(observer);
    for (ServerReflectionRequest request : requests) {
      out.onNext(request);
    }
    out.onCompleted();
    List<ServerReflectionResponse> responses = new ArrayList<>();
    for (int i = 0; i < requests.length; i++) {
      Object answer = answers.poll(10, TimeUnit.SECONDS);
      assertThat(answer).isInstanceOf(ServerReflectionResponse.class);
      responses.add((ServerReflectionResponse) answer);
    }
    assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("completed");
    return responses;
  }

  @Test
  void reflection_listsServices_andItsFilesBuildTheGreeterDescriptor() throws Exception {
    List<ServerReflectionResponse> responses =
        reflect(
            ServerReflectionRequest.newBuilder().setListServices("").build(),
            ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol(GreeterTri4j.SERVICE_NAME)
                .build(),
            ServerReflectionRequest.newBuilder().setFileContainingSymbol("no.Such").build());

    assertThat(responses.get(0).getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .containsExactlyInAnyOrder(
            GreeterTri4j.SERVICE_NAME,
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");
    FileDescriptor greeter =
        build(responses.get(1).getFileDescriptorResponse().getFileDescriptorProtoList());
    assertThat(greeter.findServiceByName("Greeter").getMethods())
        .extracting(m -> m.getName())
        .containsExactly("greet", "clientStream", "serverStream", "biStream");
    assertThat(responses.get(2).getErrorResponse().getErrorCode())
        .isEqualTo(Status.Code.NOT_FOUND.value());
  }

  @Test
  void reflectionV1alpha_grpcJavaStub_listsServices() throws Exception {
    BlockingQueue<io.grpc.reflection.v1alpha.ServerReflectionResponse> answers =
        new LinkedBlockingQueue<>();
    io.grpc.stub.StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> out =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new io.grpc.stub.StreamObserver<>() {
                  @Override
                  public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse r) {
                    answers.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    out.onNext(
        io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
            .setListServices("")
            .build());

    io.grpc.reflection.v1alpha.ServerReflectionResponse response =
        answers.poll(10, TimeUnit.SECONDS);
    out.onCompleted();

    assertThat(response).isNotNull();
    assertThat(response.getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
        .contains(GreeterTri4j.SERVICE_NAME, "grpc.health.v1.Health");
  }

  /** The first file of {@code protos}, built from them all, as a client of reflection does. */
  private static FileDescriptor build(List<ByteString> protos) throws Exception {
    Map<String, FileDescriptorProto> byName = new HashMap<>();
    for (ByteString bytes : protos) {
      FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
      byName.put(proto.getName(), proto);
    }
    return build(FileDescriptorProto.parseFrom(protos.get(0)).getName(), byName, new HashMap<>());
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built)
      throws Exception {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    assertThat(proto).as("the response holds %s", name).isNotNull();
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      dependencies.add(build(dependency, protos, built));
    }
    FileDescriptor file =
        FileDescriptor.buildFrom(proto, dependencies.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }
}
