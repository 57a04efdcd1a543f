package io.tri4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback that forwards every connection to a target port and counts the
 * connections it accepted: it shows how many connections a client really opens. {@link #silence()}
 * makes it a peer that vanished without closing anything.
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean silent;

  TcpRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  int acceptedConnections() {
    return accepted.get();
  }

  /** From now on, drops every byte both ways and keeps the connections open. */
  void silence() {
    silent = true;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket inbound = listener.accept();
        Socket outbound = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        accepted.incrementAndGet();
        sockets.add(inbound);
        sockets.add(outbound);
        pipe(inbound, outbound);
        pipe(outbound, inbound);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pipe(Socket from, Socket to) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  if (!silent) {
                    out.write(buffer, 0, n);
                  }
                }
              } catch (IOException e) {
                // the other side closed
              } finally {
                closeQuietly(to);
                closeQuietly(from);
              }
            },
            "tcp-relay-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    sockets.forEach(TcpRelay::closeQuietly);
  }
}
