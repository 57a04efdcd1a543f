package io.tri4j.internal.call;

import io.tri4j.Status;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The methods served on one port; starts a {@link ServerCall} for each new stream.
 *
 * <p>A service may be registered several times under different Dubbo versions and groups. A call
 * goes to the registration matching its {@code tri-service-version} and {@code tri-service-group}
 * headers, or else, as Dubbo does, to the registration with neither.
 */
public final class MethodRegistry implements ServerCallDispatcher {
  private final Map<String, ServerMethod<?, ?>> methods = new HashMap<>();
  private final Set<String> services = new HashSet<>();
  private final Executor executor;
  private final Executor asyncExecutor;

  /**
   * @param executor runs blocking handlers
   * @param asyncExecutor runs async handlers and their callbacks
   */
  public MethodRegistry(Executor executor, Executor asyncExecutor) {
    this.executor = executor;
    this.asyncExecutor = asyncExecutor;
  }

  private static String key(String path, String version, String group) {
    return (group == null ? "" : group) + "|" + path + "|" + (version == null ? "" : version);
  }

  /**
   * Adds a method; must happen before the server starts. {@code version} and {@code group} may be
   * null.
   */
  public void add(
      String service, String version, String group, String method, ServerMethod<?, ?> handler) {
    String path = "/" + service + "/" + method;
    if (methods.putIfAbsent(key(path, version, group), handler) != null) {
      throw new IllegalArgumentException(
          "Method registered twice: " + service + "/" + method + describe(version, group));
    }
    services.add(key(service, version, group));
  }

  public boolean hasService(String service, String version, String group) {
    return services.contains(key(service, version, group));
  }

  private static String describe(String version, String group) {
    return (version == null ? "" : " version " + version)
        + (group == null ? "" : " group " + group);
  }

  /**
   * The method for a call's path, version and group (falling back to the registration with
   * neither), or null.
   */
  @Override
  public ServerMethod<?, ?> find(String path, String version, String group) {
    ServerMethod<?, ?> method = methods.get(key(path, version, group));
    if (method == null && (version != null || group != null)) {
      method = methods.get(key(path, null, null));
    }
    return method;
  }

  @Override
  public ServerStreamListener startCall(IncomingCall call, ServerStream stream) {
    String path = call.path();
    ServerMethod<?, ?> method = find(path, call.version(), call.group());
    int slash = path.lastIndexOf('/');
    if (method == null || slash <= 0) {
      stream.close(unimplemented(call, slash), new io.tri4j.Metadata());
      return null;
    }
    if (call.json() && !method.acceptsJson()) {
      stream.close(jsonUnsupported(path), new io.tri4j.Metadata());
      return null;
    }
    String service = path.substring(1, slash);
    String name = path.substring(slash + 1);
    ServerCallBase<?, ?> serverCall =
        method.asyncHandler != null
            ? new AsyncServerCall<>(stream, method, asyncExecutor, call, service, name)
            : new ServerCall<>(stream, method, executor, call, service, name);
    serverCall.start();
    return serverCall;
  }

  /** Why a method cannot take JSON. */
  public static Status jsonUnsupported(String path) {
    return Status.UNIMPLEMENTED.withDescription(
        io.tri4j.internal.codec.JsonCodec.available()
            ? "Method " + path.substring(1) + " does not take JSON: its messages are not protobuf"
            : "JSON needs com.google.protobuf:protobuf-java-util on the server's class path");
  }

  /** Why a call found no method: the service, or the method of a known service, is missing. */
  @Override
  public Status unimplemented(IncomingCall call) {
    return unimplemented(call, call.path().lastIndexOf('/'));
  }

  private Status unimplemented(IncomingCall call, int slash) {
    String path = call.path();
    if (slash <= 0) {
      return Status.UNIMPLEMENTED.withDescription("Malformed method path: " + path);
    }
    String service = path.substring(1, slash);
    String method = path.substring(slash + 1);
    boolean known =
        services.contains(key(service, call.version(), call.group()))
            || services.contains(key(service, null, null));
    return Status.UNIMPLEMENTED.withDescription(
        known
            ? "Method not found: " + service + "/" + method
            : "Service not found: " + service + describe(call.version(), call.group()));
  }
}
