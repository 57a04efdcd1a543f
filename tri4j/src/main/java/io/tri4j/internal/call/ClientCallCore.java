package io.tri4j.internal.call;

import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;

/**
 * What every client call has, whichever API drives it: its stream, and the serialization (and
 * compression) of its requests onto it. The blocking {@link BlockingClientCall} is one; calls whose
 * events go to callbacks ({@link AsyncClientCall}, the bottom of an interceptor chain) are one
 * through {@link CallbackClientCall}.
 */
abstract class ClientCallCore<Q> {
  private final Serializer<Q> serializer;
  private final Compression compression;
  volatile ClientStream stream;
  private volatile boolean messageCompression = true;

  /**
   * @param compression how requests are compressed, or null
   */
  ClientCallCore(Serializer<Q> serializer, Compression compression) {
    this.serializer = serializer;
    this.compression = compression;
  }

  /**
   * Serializes one request (compressed if the call compresses its requests); if that fails, the
   * call is {@linkplain #cancel cancelled} with INTERNAL, and that status thrown.
   */
  final OutboundMessage serialize(Q message) {
    if (message == null) {
      throw new NullPointerException("message");
    }
    return CallFailures.serializeRequest(
        serializer,
        message,
        compression != null && messageCompression ? compression : null,
        this::cancel);
  }

  /** Sends one request at once; with {@code last} it also half-closes. */
  final void sendRequest(Q message, boolean last) {
    stream.writeMessage(serialize(message), last);
  }

  /** Whether the next requests are compressed, when the call compresses; on by default. */
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
    ClientStream s = stream;
    if (s != null) {
      s.setMessageCompression(enabled);
    }
  }

  /** Ends the call with {@code status} from this side: resets its stream. */
  void cancel(Status status) {
    stream.cancel(status);
  }
}
