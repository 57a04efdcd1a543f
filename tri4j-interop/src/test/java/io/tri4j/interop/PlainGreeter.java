package io.tri4j.interop;

import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;

/**
 * Greeter's unary method as a plain Java interface, for a Dubbo provider that serves JSON. Dubbo
 * 3.3.6 answers {@code application/json} for its generated stub with a 500 "Ambiguous mapping" (the
 * stub declares both {@code greet} and {@code greetAsync}); an interface of its own it serves.
 */
public interface PlainGreeter {
  /** "hello " + the name; a name {@code error:X} fails with NOT_FOUND and message X. */
  GreeterReply greet(GreeterRequest request);
}
