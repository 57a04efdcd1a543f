package io.tri4j.opentelemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tri4j.ForwardingServerCall;
import io.tri4j.ForwardingServerCallListener;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.ServerCall;
import io.tri4j.ServerCallHandler;
import io.tri4j.ServerInterceptor;
import io.tri4j.Status;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side: gRPC's server metrics and a span per call, a child of the client's span when the
 * request carries its context. The span is current while the handler runs.
 */
final class ServerTelemetry implements ServerInterceptor {
  private final Instruments instruments;
  private final Tracing tracing; // null: no tracing
  private final ConcurrentHashMap<MethodInfo, MethodAttributes> methods = new ConcurrentHashMap<>();
  private final MethodAttributes unknownMethods = MethodAttributes.unknownMethods();

  ServerTelemetry(Instruments instruments, Tracing tracing) {
    this.instruments = instruments;
    this.tracing = tracing;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = call.startNanoTime(); // the wait for a thread counts too
    MethodInfo method = call.method();
    // Only methods the server serves reach an interceptor: the names recorded are bounded.
    MethodAttributes attributes =
        methods.computeIfAbsent(method, m -> new MethodAttributes(m, null));
    instruments.serverCallStarted.add(1, attributes.started);
    instruments.serverCallsActive.add(1);
    if (tracing == null) {
      Observed<Q, R> observed = new Observed<>(call, attributes, null, start);
      call.addStreamTracer(observed.tracer);
      return new Ending<>(next.startCall(observed, headers), observed);
    }
    Context parent = tracing.extract(headers);
    Span span =
        tracing
            .tracer
            .spanBuilder(attributes.name)
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAllAttributes(attributes.span)
            .startSpan();
    // The client's baggage too, for the handler.
    Context context = parent.with(span);
    Observed<Q, R> observed = new Observed<>(call, attributes, span, start);
    call.addStreamTracer(observed.tracer);
    ServerCall.Listener<Q> listener;
    Scope scope = context.makeCurrent();
    try {
      listener = next.startCall(observed, headers);
    } finally {
      scope.close();
    }
    return new InContext<>(listener, context, observed);
  }

  /**
   * A call to a method the server does not serve, answered at once: recorded under "other", with no
   * time spent and nothing sent or received. No span: nothing ran for it.
   */
  @Override
  public void onUnknownMethod(String path, Status status) {
    instruments.serverCallStarted.add(1, unknownMethods.started);
    Attributes withStatus = unknownMethods.ended(status.code());
    instruments.serverCallDuration.record(0, withStatus);
    instruments.serverSent.record(0, withStatus);
    instruments.serverReceived.record(0, withStatus);
  }

  /** The call as the next interceptors see it: its end is recorded, once. */
  private final class Observed<Q, R> extends ForwardingServerCall<Q, R> {
    final MessageSizes tracer;
    private final MethodAttributes attributes;
    private final Span span;
    private final long start;
    private boolean ended; // guarded by this

    Observed(ServerCall<Q, R> call, MethodAttributes attributes, Span span, long start) {
      super(call);
      this.attributes = attributes;
      this.span = span;
      this.start = start;
      this.tracer = new MessageSizes(span);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      ended(status); // first: once the client has the status, the call is on record
      super.close(status, trailers);
    }

    void ended(Status status) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      Attributes withStatus = attributes.ended(status.code());
      instruments.serverCallDuration.record((System.nanoTime() - start) / 1e9, withStatus);
      instruments.serverSent.record(tracer.sent, withStatus);
      instruments.serverReceived.record(tracer.received, withStatus);
      instruments.serverCallsActive.add(-1);
      Tracing.end(span, status, true);
    }
  }

  /** Records a call that ends cancelled. */
  private static class Ending<Q> extends ForwardingServerCallListener<Q> {
    private final Observed<Q, ?> call;

    Ending(ServerCall.Listener<Q> delegate, Observed<Q, ?> call) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onCancel(Status status) {
      try {
        super.onCancel(status);
      } finally {
        call.ended(status);
      }
    }
  }

  /** Runs the listener with the call's span current, and records a call that ends cancelled. */
  private static final class InContext<Q> extends Ending<Q> {
    private final Context context;

    InContext(ServerCall.Listener<Q> delegate, Context context, Observed<Q, ?> call) {
      super(delegate, call);
      this.context = context;
    }

    @Override
    public void onMessage(Q message) {
      Scope scope = context.makeCurrent();
      try {
        super.onMessage(message);
      } finally {
        scope.close();
      }
    }

    @Override
    public void onHalfClose() {
      Scope scope = context.makeCurrent();
      try {
        super.onHalfClose();
      } finally {
        scope.close();
      }
    }

    @Override
    public void onCancel(Status status) {
      Scope scope = context.makeCurrent();
      try {
        super.onCancel(status);
      } finally {
        scope.close();
      }
    }

    @Override
    public void onReady() {
      Scope scope = context.makeCurrent();
      try {
        super.onReady();
      } finally {
        scope.close();
      }
    }
  }
}
