package io.tri4j.internal.call;

import io.tri4j.Status;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/** The methods served on one port, by path; starts a {@link ServerCall} for each new stream. */
public final class MethodRegistry implements ServerCallDispatcher {
  private final Map<String, ServerMethod<?, ?>> methods = new HashMap<>();
  private final Set<String> services = new HashSet<>();
  private final Executor executor;

  public MethodRegistry(Executor executor) {
    this.executor = executor;
  }

  /** Adds a method; must happen before the server starts. */
  public void add(String service, String method, ServerMethod<?, ?> serverMethod) {
    if (methods.putIfAbsent("/" + service + "/" + method, serverMethod) != null) {
      throw new IllegalArgumentException("Method registered twice: " + service + "/" + method);
    }
    services.add(service);
  }

  public boolean hasService(String service) {
    return services.contains(service);
  }

  @Override
  public ServerStreamListener startCall(String path, ServerStream stream) {
    ServerMethod<?, ?> method = methods.get(path);
    if (method == null) {
      stream.close(unimplemented(path));
      return null;
    }
    ServerCall<?, ?> call = new ServerCall<>(stream, method, executor, path);
    call.start();
    return call;
  }

  private Status unimplemented(String path) {
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      return Status.UNIMPLEMENTED.withDescription("Malformed method path: " + path);
    }
    String service = path.substring(1, slash);
    String method = path.substring(slash + 1);
    return Status.UNIMPLEMENTED.withDescription(
        services.contains(service)
            ? "Method not found: " + service + "/" + method
            : "Service not found: " + service);
  }
}
