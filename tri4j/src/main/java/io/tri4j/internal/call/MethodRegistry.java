package io.tri4j.internal.call;

import io.tri4j.MethodInfo;
import io.tri4j.MethodType;
import io.tri4j.ServerCall;
import io.tri4j.ServerCallHandler;
import io.tri4j.ServerInterceptor;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The methods served on one port; starts a {@link BlockingServerCall} for each new stream.
 *
 * <p>A service may be registered several times under different Dubbo versions and groups. A call
 * goes to the registration matching its {@code tri-service-version} and {@code tri-service-group}
 * headers, or else, as Dubbo does, to the registration with neither.
 */
public final class MethodRegistry implements ServerCallDispatcher {
  private static final Logger log = LoggerFactory.getLogger(MethodRegistry.class);

  private final Map<String, Registration> methods = new HashMap<>();

  /** The registrations with neither version nor group, by path: found without building a key. */
  private final Map<String, Registration> plainMethods = new HashMap<>();

  private final Set<String> services = new HashSet<>();
  private final Executor executor;
  private final Executor asyncExecutor;
  private final List<ServerInterceptor> interceptors;
  private final TransportStats stats;
  private final ShutdownNotice shutdown;
  private final boolean exceptionDetails;

  /**
   * @param executor runs blocking handlers
   * @param asyncExecutor runs async handlers, their callbacks, and interceptors
   * @param interceptors the server's interceptors, outermost first; each method's service may add
   *     its own inside them
   * @param stats the server's statistics, which its calls add to
   * @param shutdown the server's notice of its shutdown, which its calls' handlers may hear
   * @param exceptionDetails whether clients are told the class and message of exceptions thrown by
   *     server code (for development)
   */
  public MethodRegistry(
      Executor executor,
      Executor asyncExecutor,
      List<ServerInterceptor> interceptors,
      TransportStats stats,
      ShutdownNotice shutdown,
      boolean exceptionDetails) {
    this.executor = executor;
    this.asyncExecutor = asyncExecutor;
    this.interceptors = List.copyOf(interceptors);
    this.stats = stats;
    this.shutdown = shutdown;
    this.exceptionDetails = exceptionDetails;
  }

  /** A method with its names as its calls' path spells them, made once rather than per call. */
  private record Registration(ServerMethod<?, ?> method, MethodInfo info) {}

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
    int slash = path.lastIndexOf('/');
    Registration registration =
        new Registration(
            handler,
            new MethodInfo(path.substring(1, slash), path.substring(slash + 1), handler.type));
    if (methods.putIfAbsent(key(path, version, group), registration) != null) {
      throw new IllegalArgumentException(
          "Method registered twice: " + service + "/" + method + describe(version, group));
    }
    if (isEmpty(version) && isEmpty(group)) {
      plainMethods.put(path, registration);
    }
    services.add(key(service, version, group));
  }

  public boolean hasService(String service, String version, String group) {
    return services.contains(key(service, version, group));
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static String describe(String version, String group) {
    return (version == null ? "" : " version " + version)
        + (group == null ? "" : " group " + group);
  }

  /**
   * The method for a call's path, version and group (falling back to the registration with
   * neither), or null.
   */
  private Registration find(IncomingCall call) {
    String path = call.path();
    if (call.version() == null && call.group() == null) {
      return plainMethods.get(path);
    }
    Registration found = methods.get(key(path, call.version(), call.group()));
    return found != null ? found : plainMethods.get(path);
  }

  @Override
  public MethodType methodType(IncomingCall call) {
    Registration found = find(call);
    return found == null ? null : found.method().type;
  }

  @Override
  public boolean noSideEffects(IncomingCall call) {
    Registration found = find(call);
    return found != null && found.method().noSideEffects;
  }

  @Override
  public Status jsonUnsupported(IncomingCall call) {
    Registration found = find(call);
    return found == null || found.method().acceptsJson() ? null : jsonUnsupported(call.path());
  }

  @Override
  public ServerStreamListener startCall(IncomingCall call, ServerStream stream) {
    Registration found = find(call);
    if (found == null) {
      stream.close(unimplemented(call), new io.tri4j.Metadata());
      return null;
    }
    if (call.json() && !found.method().acceptsJson()) {
      stream.close(jsonUnsupported(call.path()), new io.tri4j.Metadata());
      return null;
    }
    if (exceptionDetails) {
      stream = new ExceptionDetailsStream(stream);
    }
    if (call.deadline() == null) {
      return start(found, call, stream);
    }
    DeadlineServerStream timed = new DeadlineServerStream(stream, call.deadline());
    return timed.listen(start(found, call, timed));
  }

  /** Starts a found method's call on {@code stream}; returns the call's listener. */
  private ServerStreamListener start(Registration found, IncomingCall call, ServerStream stream) {
    ServerMethod<?, ?> method = found.method();
    MethodInfo info = found.info();
    List<ServerInterceptor> chain = interceptors(method);
    if (!chain.isEmpty()) {
      return startIntercepted(method, info, call, stream, chain);
    }
    ServerCallBase<?, ?> serverCall =
        newCall(method, stream, call, info.service(), info.method(), null);
    serverCall.start();
    return serverCall;
  }

  /** The blocking or async call class for {@code method}'s handler, not yet started. */
  private <Q, R> ServerCallBase<Q, R> newCall(
      ServerMethod<Q, R> method,
      ServerStream stream,
      IncomingCall call,
      String service,
      String name,
      ServerCall<Q, R> intercepted) {
    if (method.asyncHandler == null) {
      return new BlockingServerCall<>(
          stream, method, executor, call, service, name, intercepted, shutdown, stats);
    }
    // Under interceptors too: a deferred listener may pass events on from any thread.
    return new AsyncServerCall<>(
        stream, method, asyncExecutor, call, service, name, intercepted, shutdown);
  }

  /** The server's interceptors, then those of the method's service. */
  private List<ServerInterceptor> interceptors(ServerMethod<?, ?> method) {
    if (method.interceptors.isEmpty()) {
      return interceptors;
    }
    List<ServerInterceptor> all = new ArrayList<>(interceptors);
    all.addAll(method.interceptors);
    return all;
  }

  /** Starts a call through its interceptors, the first outermost, down to the method's handler. */
  private <Q, R> ServerStreamListener startIntercepted(
      ServerMethod<Q, R> method,
      MethodInfo info,
      IncomingCall call,
      ServerStream stream,
      List<ServerInterceptor> chain) {
    TransportServerCall<Q, R> transport =
        new TransportServerCall<>(stream, method, info, call, asyncExecutor);
    ServerCallHandler<Q, R> handler =
        (intercepted, headers) -> {
          ServerCallBase<Q, R> serverCall =
              newCall(
                  method,
                  new InterceptedServerStream<>(intercepted),
                  call.withHeaders(headers),
                  info.service(),
                  info.method(),
                  intercepted);
          serverCall.start();
          return InterceptedServerStream.listener(serverCall, transport::lastRequestCompressed);
        };
    for (int i = chain.size() - 1; i >= 0; i--) {
      ServerInterceptor interceptor = chain.get(i);
      ServerCallHandler<Q, R> next = handler;
      handler = (c, headers) -> interceptor.interceptCall(c, headers, next);
    }
    transport.start(handler);
    return transport;
  }

  /** Why a method cannot take JSON. */
  private static Status jsonUnsupported(String path) {
    return Status.UNIMPLEMENTED.withDescription(
        io.tri4j.internal.codec.JsonCodec.available()
            ? "Method " + path.substring(1) + " does not take JSON: its messages are not protobuf"
            : "JSON needs com.google.protobuf:protobuf-java-util on the server's class path");
  }

  /**
   * Why a call found no method: the service, or the method of a known service, is missing. The
   * server's interceptors hear of the call.
   */
  @Override
  public Status unimplemented(IncomingCall call) {
    Status status = unimplemented(call, call.path().lastIndexOf('/'));
    for (ServerInterceptor interceptor : interceptors) {
      try {
        interceptor.onUnknownMethod(call.path(), status);
      } catch (RuntimeException e) {
        log.warn("Interceptor {} failed on a call to unknown {}", interceptor, call.path(), e);
      }
    }
    return status;
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
