package io.tri4j;

/** The four shapes of an RPC method, by how many messages each side sends. */
public enum MethodType {
  /** One request, one response. */
  UNARY(false, false),
  /** A stream of requests, one response. */
  CLIENT_STREAMING(true, false),
  /** One request, a stream of responses. */
  SERVER_STREAMING(false, true),
  /** Streams both ways at once. */
  BIDI_STREAMING(true, true);

  private final boolean clientStreaming;
  private final boolean serverStreaming;

  MethodType(boolean clientStreaming, boolean serverStreaming) {
    this.clientStreaming = clientStreaming;
    this.serverStreaming = serverStreaming;
  }

  /** Whether the client may send any number of requests. */
  public boolean clientStreaming() {
    return clientStreaming;
  }

  /** Whether the server may send any number of responses. */
  public boolean serverStreaming() {
    return serverStreaming;
  }
}
