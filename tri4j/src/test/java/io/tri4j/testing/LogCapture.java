package io.tri4j.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The warnings and errors logged while a capture is open, from any thread, including those that
 * {@code simplelogger.properties} keeps out of the test output:
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.open()) {
 *   server.shutdownNow();
 *   assertThat(logs.events()).isEmpty();
 * }
 * }</pre>
 *
 * Needs {@link CapturingServiceProvider} as the SLF4J provider, as the build sets it.
 */
public final class LogCapture implements AutoCloseable {
  private static final List<LogCapture> OPEN = new CopyOnWriteArrayList<>();

  /** One warning or error: its level, logger, message and exception (or null). */
  public record Event(Level level, String logger, String message, Throwable throwable) {
    @Override
    public String toString() {
      return level + " " + logger + ": " + message + (throwable == null ? "" : " " + throwable);
    }
  }

  private final List<Event> events = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  /** Starts capturing. */
  public static LogCapture open() {
    if (!(LoggerFactory.getILoggerFactory().getLogger("io.tri4j") instanceof CapturingLogger)) {
      throw new IllegalStateException(
          "Run with -Dslf4j.provider=" + CapturingServiceProvider.class.getName());
    }
    LogCapture capture = new LogCapture();
    OPEN.add(capture);
    return capture;
  }

  static void record(Level level, String logger, String message, Throwable throwable) {
    for (LogCapture capture : OPEN) {
      capture.events.add(new Event(level, logger, message, throwable));
    }
  }

  /** The warnings and errors captured so far, oldest first. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() {
    OPEN.remove(this);
  }
}
