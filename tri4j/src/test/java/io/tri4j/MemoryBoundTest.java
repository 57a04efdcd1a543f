package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gibibyte each way between a fast sender and a slow reader: flow control must hold the sender
 * back, so the bytes tri4j holds in its buffers stay small the whole time, and every byte arrives.
 */
@Timeout(120)
class MemoryBoundTest {
  private static final int MESSAGE = 64 * 1024;
  private static final int COUNT = 16 * 1024; // 16384 x 64 KiB = 1 GiB
  private static final long BOUND = 16L * 1024 * 1024;

  private static Server server;
  private static Client client;

  private static byte[] message(int index) {
    byte[] m = new byte[MESSAGE];
    for (int i = 0; i < m.length; i += 4096) {
      m[i] = (byte) (index + i);
    }
    m[m.length - 1] = (byte) index;
    return m;
  }

  private static boolean intact(byte[] m, int index) {
    if (m.length != MESSAGE || m[m.length - 1] != (byte) index) {
      return false;
    }
    for (int i = 0; i < m.length; i += 4096) {
      if (m[i] != (byte) (index + i)) {
        return false;
      }
    }
    return true;
  }

  /** Sleeps a little every few messages: a reader much slower than loopback. */
  private static void slowly(int index) throws InterruptedException {
    if (index % 8 == 0) {
      Thread.sleep(1);
    }
  }

  @BeforeAll
  static void start() {
    Serializer<byte[]> bytes = b -> b;
    Deserializer<byte[]> raw = b -> b;
    RpcServiceHandler service =
        new RpcServiceHandler(
            "memory.Bulk",
            Map.of(
                "download",
                RpcMethodHandler.<byte[], byte[]>serverStream(
                    (request, out) -> {
                      for (int i = 0; i < COUNT; i++) {
                        out.write(message(i));
                      }
                    },
                    raw,
                    bytes),
                "upload",
                RpcMethodHandler.<byte[], byte[]>clientStream(
                    requests -> {
                      int index = 0;
                      long total = 0;
                      for (byte[] m : requests) {
                        if (!intact(m, index)) {
                          throw Status.DATA_LOSS.withDescription("message " + index).asException();
                        }
                        total += m.length;
                        slowly(index++);
                      }
                      return Long.toString(total).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    },
                    raw,
                    bytes)));
    server = new Server(new ServiceConfig(service).withHost("127.0.0.1").withPort(0)).start();
    client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/memory.Bulk"));
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** The bytes the server and the client under test hold in their buffers now. */
  private static long bytesHeld() {
    return server.transportStats().bytesHeld() + client.transportStats().bytesHeld();
  }

  /** Samples {@link #bytesHeld()} in the background and keeps the largest value. */
  private static final class Watcher {
    final AtomicLong max = new AtomicLong();
    final AtomicBoolean running = new AtomicBoolean(true);
    final Thread thread =
        new Thread(
            () -> {
              while (running.get()) {
                max.accumulateAndGet(bytesHeld(), Math::max);
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });

    Watcher() {
      thread.setDaemon(true);
      thread.start();
    }

    /** Stops sampling; returns the largest value seen. */
    long stop() throws InterruptedException {
      running.set(false);
      thread.join();
      return max.get();
    }
  }

  @Test
  void download_gibibyteToSlowReader_staysUnderBound_andArrivesWhole() throws Exception {
    long read = 0;
    Watcher watcher = new Watcher();
    try {
      ResponseStream<byte[]> stream =
          client.serverStream("download", (byte[] b) -> b, (byte[] b) -> b).call(new byte[0]);
      int index = 0;
      for (byte[] m : stream) {
        assertThat(intact(m, index)).as("message %d", index).isTrue();
        read += m.length;
        slowly(index++);
      }
    } finally {
      long peak = watcher.stop();
      System.out.println("download: peak bytes held in tri4j buffers = " + peak);
      assertThat(peak).as("bytes held in tri4j buffers").isLessThan(BOUND);
    }
    assertThat(read).isEqualTo((long) COUNT * MESSAGE);
  }

  @Test
  void upload_gibibyteToSlowServer_staysUnderBound_andArrivesWhole() throws Exception {
    Watcher watcher = new Watcher();
    try {
      Iterator<byte[]> requests =
          new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
              return next < COUNT;
            }

            @Override
            public byte[] next() {
              return message(next++);
            }
          };
      byte[] total = client.clientStream("upload", (byte[] b) -> b, (byte[] b) -> b).call(requests);
      assertThat(new String(total, java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(Long.toString((long) COUNT * MESSAGE));
    } finally {
      long peak = watcher.stop();
      System.out.println("upload: peak bytes held in tri4j buffers = " + peak);
      assertThat(peak).as("bytes held in tri4j buffers").isLessThan(BOUND);
    }
  }
}
