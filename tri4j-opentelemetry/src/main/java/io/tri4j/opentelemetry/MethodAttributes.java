package io.tri4j.opentelemetry;

import io.opentelemetry.api.common.Attributes;
import io.tri4j.Status;

/**
 * The attributes of one method (and target, on a client), made once and kept: a call records with
 * them without building any.
 */
final class MethodAttributes {
  private static final Status.Code[] CODES = Status.Code.values();

  final Attributes started;
  private final Attributes[] ended = new Attributes[CODES.length];

  /** {@code target} null: a server's, without {@code grpc.target}. */
  MethodAttributes(String method, String target) {
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
