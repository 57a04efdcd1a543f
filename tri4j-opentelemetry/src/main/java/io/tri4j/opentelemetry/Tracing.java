package io.tri4j.opentelemetry;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * Spans of calls as OpenTelemetry's RPC conventions name them, and the trace context they carry in
 * the request headers.
 */
final class Tracing {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<Long> RPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");
  static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("sequence-number");
  static final AttributeKey<Long> COMPRESSED_SIZE = AttributeKey.longKey("message-size-compressed");
  static final AttributeKey<Long> PREVIOUS_ATTEMPTS = AttributeKey.longKey("previous-rpc-attempts");
  static final AttributeKey<Boolean> TRANSPARENT = AttributeKey.booleanKey("transparent-retry");

  /** Codes that mean the server failed, not the client's request (the span's status is ERROR). */
  private static final Set<Status.Code> SERVER_ERRORS =
      EnumSet.of(
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.UNIMPLEMENTED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  final Tracer tracer;
  private final TextMapPropagator propagator;

  /**
   * @param propagator the application's; W3C trace context and baggage if it configured none
   */
  Tracing(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator =
        propagator.fields().isEmpty()
            ? TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())
            : propagator;
  }

  /** The caller's context in {@code headers}: its propagator's, else {@code grpc-trace-bin}. */
  Context extract(Metadata headers) {
    Context context = propagator.extract(Context.root(), headers, MetadataTextMap.INSTANCE);
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      SpanContext bin = GrpcTraceBin.read(headers);
      if (bin != null) {
        context = context.with(Span.wrap(bin));
      }
    }
    return context;
  }

  /** Puts {@code context} in the request {@code headers}. */
  void inject(Context context, Metadata headers) {
    propagator.inject(context, headers, MetadataTextMap.INSTANCE);
  }

  /** The attributes every span of a call to {@code method} starts with. */
  static Attributes attributes(MethodInfo method) {
    return Attributes.of(
        RPC_SYSTEM, "grpc", RPC_SERVICE, method.service(), RPC_METHOD, method.method());
  }

  /** A message event on {@code span}, if there is one. */
  static void message(Span span, String name, long sequence, int wireSize) {
    if (span == null) {
      return;
    }
    span.addEvent(name, Attributes.of(SEQUENCE, sequence, COMPRESSED_SIZE, (long) wireSize));
  }

  /**
   * Ends {@code span} (if there is one) with the call's {@code status}: an error for a client
   * whatever the code, for a server only where the server failed.
   */
  static void end(Span span, Status status, boolean server) {
    if (span == null) {
      return;
    }
    span.setAttribute(RPC_STATUS, (long) status.code().value());
    if (status.code() != Status.Code.OK && (!server || SERVER_ERRORS.contains(status.code()))) {
      span.setStatus(
          StatusCode.ERROR,
          status.description() == null
              ? status.code().name()
              : status.code().name() + ": " + status.description());
    }
    span.end();
  }
}
