package io.tri4j;

/**
 * A client- or bidi-streaming call in progress, written through and read from: requests go in with
 * {@link #write} and {@link #doneWriting()}, responses come out with {@link #read()}. For client
 * streaming the single reply is the one message read.
 *
 * <pre>{@code
 * StreamingCall<GreeterRequest, GreeterReply> call = stub.biStream.call();
 * call.write(GreeterRequest.newBuilder().setName("jock").build());
 * call.doneWriting();
 * for (GreeterReply reply : call) { ... }
 * }</pre>
 *
 * <p>Writing and reading may happen on two different threads.
 */
public interface StreamingCall<Q, R> extends WriteStream<Q>, ResponseStream<R> {

  /**
   * Whether the next messages written are compressed, when the call has a compression ({@link
   * CallOptions#withCompression}); on by default. Turn it off for messages that do not compress
   * well or must not be compressed.
   */
  void setMessageCompression(boolean enabled);
}
