package io.tri4j.opentelemetry;

import io.opentelemetry.api.common.Attributes;
import io.tri4j.MethodInfo;
import io.tri4j.Status;

/**
 * The attributes of one method (and target, on a client), made once and kept: a call records and
 * starts its spans with them without building any.
 */
final class MethodAttributes {
  private static final Status.Code[] CODES = Status.Code.values();

  /** What {@code grpc.method} says for methods a server does not serve. */
  static final String OTHER = "other";

  final String name;
  final Attributes started;
  private final Attributes[] ended = new Attributes[CODES.length];

  /** What the method's spans start with. */
  final Attributes span;

  /** {@code target} null: a server's, without {@code grpc.target}. */
  MethodAttributes(MethodInfo info, String target) {
    this(info.fullName(), Tracing.attributes(info), target);
  }

  /**
   * The attributes of the calls to methods a server does not serve, all of them under {@code
   * grpc.method="other"} (gRFC A66): their paths are the clients' to choose.
   */
  static MethodAttributes unknownMethods() {
    return new MethodAttributes(OTHER, Attributes.empty(), null);
  }

  private MethodAttributes(String method, Attributes span, String target) {
    this.name = method;
    this.span = span;
    started =
        target == null
            ? Attributes.of(Instruments.METHOD, method)
            : Attributes.of(Instruments.METHOD, method, Instruments.TARGET, target);
    for (Status.Code code : CODES) {
      ended[code.ordinal()] = started.toBuilder().put(Instruments.STATUS, code.name()).build();
    }
  }

  /** With {@code grpc.status} too. */
  Attributes ended(Status.Code code) {
    return ended[code.ordinal()];
  }
}
