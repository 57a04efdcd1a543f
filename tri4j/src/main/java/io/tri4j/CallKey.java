package io.tri4j;

import java.util.Objects;

/**
 * A typed key for a value attached to one call: by a client interceptor to {@link CallOptions}
 * ({@link CallOptions#withValue}), or by a server interceptor to the call ({@link
 * ServerCall#setValue}) for the handler and later interceptors to read ({@link
 * ServerContext#value}). Keys compare by identity: make one per purpose and share it.
 *
 * <pre>{@code
 * static final CallKey<String> USER = CallKey.named("user");
 * }</pre>
 */
public final class CallKey<T> {
  private final String name;

  private CallKey(String name) {
    this.name = name;
  }

  /** A new key; {@code name} is for messages and debugging only. */
  public static <T> CallKey<T> named(String name) {
    return new CallKey<>(Objects.requireNonNull(name, "name"));
  }

  /** The name given to {@link #named}, for debugging. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
