package io.tri4j.services.reflection;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.tri4j.RpcServiceHandler;
import io.tri4j.services.reflection.v1.ServerReflectionTri4j;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * gRPC server reflection ({@code grpc.reflection.v1.ServerReflection} and the older {@code
 * grpc.reflection.v1alpha.ServerReflection}): tells tools such as {@code buf curl --reflect} and
 * grpcurl which services a server has and the proto files that describe them, so they can call it
 * without the .proto files.
 *
 * <pre>{@code
 * RpcServiceHandler greeter = GreeterTri4j.serviceHandler(new GreeterImpl());
 * ProtoReflectionService reflection = ProtoReflectionService.of(greeter, health.serviceHandler());
 * List<ServiceConfig> configs = new ArrayList<>(List.of(new ServiceConfig(greeter)));
 * reflection.serviceHandlers().forEach(handler -> configs.add(new ServiceConfig(handler)));
 * Server server = new Server(configs).start();
 * }</pre>
 *
 * <h2>Where the descriptors come from</h2>
 *
 * Each service handler given carries its descriptor ({@link RpcServiceHandler#schemaDescriptor()}):
 * those protoc-gen-tri4j generates do; for a hand-written handler, set it with {@code
 * handler.withSchemaDescriptor(MyProto.getDescriptor().findServiceByName("My"))}. A handler without
 * a protobuf {@link ServiceDescriptor} is not listed. Reflection lists its own two services too.
 * The files that define the services, and every file they import, can be asked for; {@link
 * #withFiles} adds more (such as the files of the messages packed in an {@code Any}).
 *
 * <p>Immutable; the index is built once, when made.
 */
public final class ProtoReflectionService {
  private final List<RpcServiceHandler> services;
  private final List<FileDescriptor> files;
  private final List<RpcServiceHandler> serviceHandlers;

  private ProtoReflectionService(List<RpcServiceHandler> services, List<FileDescriptor> files) {
    this.services = List.copyOf(services);
    this.files = List.copyOf(files);
    List<ServiceDescriptor> descriptors = new ArrayList<>();
    descriptors.add(ServerReflectionTri4j.serviceDescriptor());
    descriptors.add(io.tri4j.services.reflection.v1alpha.ServerReflectionTri4j.serviceDescriptor());
    for (RpcServiceHandler service : this.services) {
      if (service.schemaDescriptor() instanceof ServiceDescriptor descriptor) {
        if (!descriptor.getFullName().equals(service.serviceName())) {
          throw new IllegalArgumentException(
              "The handler of "
                  + service.serviceName()
                  + " carries the descriptor of "
                  + descriptor.getFullName());
        }
        descriptors.add(descriptor);
      }
    }
    ReflectionIndex index = new ReflectionIndex(descriptors, this.files);
    RpcServiceHandler v1 = ServerReflectionTri4j.serviceHandler(new ReflectionService(index));
    // v1alpha has the same messages, fields and numbers as v1: the v1 methods read and write its
    // bytes as they are.
    RpcServiceHandler v1alpha =
        new RpcServiceHandler(
                io.tri4j.services.reflection.v1alpha.ServerReflectionTri4j.SERVICE_NAME,
                v1.methodHandlers())
            .withSchemaDescriptor(
                io.tri4j.services.reflection.v1alpha.ServerReflectionTri4j.serviceDescriptor());
    this.serviceHandlers = List.of(v1, v1alpha);
  }

  /**
   * Reflection on {@code services}, the handlers the server serves.
   *
   * @throws IllegalArgumentException if a handler carries the descriptor of another service, or the
   *     files of the services disagree (two files of one name, one symbol in two files)
   */
  public static ProtoReflectionService of(RpcServiceHandler... services) {
    return of(List.of(services));
  }

  /**
   * Reflection on {@code services}, the handlers the server serves.
   *
   * @throws IllegalArgumentException as {@link #of(RpcServiceHandler...)}
   */
  public static ProtoReflectionService of(List<RpcServiceHandler> services) {
    return new ProtoReflectionService(services, List.of());
  }

  /**
   * A copy that can also tell about {@code files} and their imports, without listing their
   * services.
   *
   * @throws IllegalArgumentException as {@link #of(RpcServiceHandler...)}
   */
  public ProtoReflectionService withFiles(FileDescriptor... files) {
    List<FileDescriptor> all = new ArrayList<>(this.files);
    for (FileDescriptor file : files) {
      all.add(Objects.requireNonNull(file, "file"));
    }
    return new ProtoReflectionService(services, all);
  }

  /**
   * The two reflection services, {@code grpc.reflection.v1.ServerReflection} and {@code
   * grpc.reflection.v1alpha.ServerReflection}, for {@link io.tri4j.ServiceConfig}s of the server:
   * tools ask the newer one and fall back to the older.
   */
  public List<RpcServiceHandler> serviceHandlers() {
    return serviceHandlers;
  }
}
