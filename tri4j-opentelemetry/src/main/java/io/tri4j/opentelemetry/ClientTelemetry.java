package io.tri4j.opentelemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.tri4j.CallOptions;
import io.tri4j.ClientCall;
import io.tri4j.ClientInterceptor;
import io.tri4j.ForwardingClientCall;
import io.tri4j.ForwardingClientCallListener;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Status;
import io.tri4j.StreamTracer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side: gRPC's client metrics, a span per call and a child span per attempt, whose
 * context each attempt sends to the server. Retries happen below the interceptors; the attempts are
 * seen through a {@link StreamTracer}.
 */
final class ClientTelemetry implements ClientInterceptor {
  private final Instruments instruments;
  private final Tracing tracing; // null: no tracing
  private final String target;
  private final ConcurrentHashMap<MethodInfo, MethodAttributes> methods = new ConcurrentHashMap<>();

  ClientTelemetry(Instruments instruments, Tracing tracing, String target) {
    this.instruments = instruments;
    this.tracing = tracing;
    this.target = target;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
    // A client calls only the methods its code names: the names recorded are bounded.
    MethodAttributes attributes =
        methods.computeIfAbsent(method, m -> new MethodAttributes(m, target));
    Span span =
        tracing == null
            ? null
            : tracing
                .tracer
                .spanBuilder(attributes.name)
                .setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(attributes.span)
                .startSpan();
    Call call = new Call(attributes, span);
    return new Observed<>(next.newCall(options.withStreamTracer(call)), call);
  }

  /** The call as the application sees it: its end is recorded. */
  private static final class Observed<Q, R> extends ForwardingClientCall<Q, R> {
    private final Call call;

    Observed(ClientCall<Q, R> next, Call call) {
      super(next);
      this.call = call;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      super.start(
          new ForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
              call.ended(status);
              super.onClose(status, trailers);
            }
          },
          headers);
    }
  }

  /** One call: its attempts, and its end. */
  private final class Call implements StreamTracer.Factory {
    private final MethodAttributes attributes;
    private final Span span;
    private final Context context;
    private final long start = System.nanoTime();
    // Attempts start one after another.
    private volatile int retries;
    private volatile int transparentRetries;

    Call(MethodAttributes attributes, Span span) {
      this.attributes = attributes;
      this.span = span;
      this.context = span == null ? null : Context.current().with(span);
      instruments.clientCallsActive.add(1);
    }

    @Override
    public StreamTracer newAttempt(
        int previousAttempts, boolean transparentRetry, Metadata headers) {
      if (transparentRetry) {
        transparentRetries++;
      } else if (previousAttempts > 0) {
        retries++;
      }
      instruments.clientAttemptStarted.add(1, attributes.started);
      if (span == null) {
        return new Attempt(null);
      }
      Span attempt =
          tracing
              .tracer
              .spanBuilder("Attempt." + attributes.name)
              .setParent(context)
              .setSpanKind(SpanKind.INTERNAL)
              .setAttribute(Tracing.PREVIOUS_ATTEMPTS, (long) previousAttempts)
              .setAttribute(Tracing.TRANSPARENT, transparentRetry)
              .startSpan();
      tracing.inject(context.with(attempt), headers);
      return new Attempt(attempt);
    }

    private void ended(Status status) {
      Attributes withStatus = attributes.ended(status.code());
      instruments.clientCallDuration.record((System.nanoTime() - start) / 1e9, withStatus);
      if (retries > 0) {
        instruments.clientCallRetries.record(retries, attributes.started);
      }
      if (transparentRetries > 0) {
        instruments.clientCallTransparentRetries.record(transparentRetries, attributes.started);
      }
      instruments.clientCallsActive.add(-1);
      Tracing.end(span, status, false);
    }

    /** One attempt: its duration and sizes, and its span. */
    private final class Attempt extends MessageSizes {
      private final long start = System.nanoTime();

      Attempt(Span span) {
        super(span);
      }

      @Override
      public void attemptClosed(Status status) {
        Attributes withStatus = attributes.ended(status.code());
        instruments.clientAttemptDuration.record((System.nanoTime() - start) / 1e9, withStatus);
        instruments.clientAttemptSent.record(sent, withStatus);
        instruments.clientAttemptReceived.record(received, withStatus);
        Tracing.end(span, status, false);
      }
    }
  }
}
