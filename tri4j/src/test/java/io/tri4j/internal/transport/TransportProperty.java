package io.tri4j.internal.transport;

/** Runs test code with {@value SocketTransport#PROPERTY} naming a transport, as a user sets it. */
public final class TransportProperty {
  private TransportProperty() {}

  /** Runs {@code action} with the property naming {@code transport}, then restores it. */
  public static void with(SocketTransport transport, Runnable action) {
    String before = System.setProperty(SocketTransport.PROPERTY, transport.propertyValue());
    try {
      action.run();
    } finally {
      if (before == null) {
        System.clearProperty(SocketTransport.PROPERTY);
      } else {
        System.setProperty(SocketTransport.PROPERTY, before);
      }
    }
  }
}
