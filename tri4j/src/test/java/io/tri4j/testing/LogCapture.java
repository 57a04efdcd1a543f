package io.tri4j.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The warnings and errors (or, if asked, INFO lines too) logged while a capture is open, from any
 * thread, including those that {@code simplelogger.properties} keeps out of the test output:
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
  private final Level lowest;
  private final String quietLogger; // null: prints as before

  private LogCapture(Level lowest, String quietLogger) {
    this.lowest = lowest;
    this.quietLogger = quietLogger;
  }

  /** Starts capturing warnings and errors. */
  public static LogCapture open() {
    return open(Level.WARN);
  }

  /**
   * Starts capturing events at {@code lowest} and above (INFO for a logger whose INFO lines are
   * what a test checks); loggers print no more than before.
   */
  public static LogCapture open(Level lowest) {
    return start(new LogCapture(lowest, null));
  }

  /**
   * Starts capturing warnings and errors, and keeps those of the logger named {@code logger} out of
   * the test output while the capture is open: for a test that provokes one on purpose and checks
   * it from {@link #events()}, so that the output shows failures only.
   */
  public static LogCapture quiet(Class<?> logger) {
    return start(new LogCapture(Level.WARN, logger.getName()));
  }

  private static LogCapture start(LogCapture capture) {
    if (!(LoggerFactory.getILoggerFactory().getLogger("io.tri4j") instanceof CapturingLogger)) {
      throw new IllegalStateException(
          "Run with -Dslf4j.provider=" + CapturingServiceProvider.class.getName());
    }
    OPEN.add(capture);
    return capture;
  }

  /** Whether an open capture keeps the events of {@code logger} out of the output. */
  static boolean quiets(String logger) {
    for (LogCapture capture : OPEN) {
      if (logger.equals(capture.quietLogger)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an open capture takes events at {@code level}. */
  static boolean wants(Level level) {
    for (LogCapture capture : OPEN) {
      if (level.toInt() >= capture.lowest.toInt()) {
        return true;
      }
    }
    return false;
  }

  static void record(Level level, String logger, String message, Throwable throwable) {
    for (LogCapture capture : OPEN) {
      if (level.toInt() >= capture.lowest.toInt()) {
        capture.events.add(new Event(level, logger, message, throwable));
      }
    }
  }

  /** The events captured so far, oldest first. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() {
    OPEN.remove(this);
  }
}
