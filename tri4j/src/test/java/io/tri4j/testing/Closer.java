package io.tri4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test opened (servers, clients, channels), last opened first, after each test, even
 * when the test failed half-way.
 *
 * <pre>{@code
 * @RegisterExtension final Closer closer = new Closer();
 * Server server = closer.add(new Server(config).start());
 * }</pre>
 */
public final class Closer implements AfterEachCallback {
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Closes {@code closeable} after the test; returns it. */
  public synchronized <T extends AutoCloseable> T add(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<AutoCloseable> all;
    synchronized (this) {
      all = new ArrayList<>(opened);
      opened.clear();
    }
    Exception failure = null;
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
