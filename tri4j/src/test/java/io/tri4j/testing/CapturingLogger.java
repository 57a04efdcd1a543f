package io.tri4j.testing;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A logger that hands warnings and errors (and INFO lines, while a capture asks for them) to {@link
 * LogCapture}, and passes every event on to the logger that prints it (which drops what its
 * configured level does not allow), but for the warnings and errors a {@link LogCapture#quiet}
 * capture keeps out of the output.
 */
final class CapturingLogger extends AbstractLogger {
  private static final long serialVersionUID = 1L;

  private final transient Logger printer;

  CapturingLogger(Logger printer) {
    this.printer = printer;
    this.name = printer.getName();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    if (level.toInt() >= Level.WARN.toInt() || LogCapture.wants(level)) {
      LogCapture.record(
          level, name, MessageFormatter.basicArrayFormat(pattern, arguments), throwable);
    }
    if (level.toInt() >= Level.WARN.toInt() && LogCapture.quiets(name)) {
      return; // provoked on purpose; the capture holds it for the test to check
    }
    LoggingEventBuilder event = printer.atLevel(level).setMessage(pattern).setCause(throwable);
    if (arguments != null) {
      for (Object argument : arguments) {
        event = event.addArgument(argument);
      }
    }
    event.log();
  }

  // Warnings and errors always reach the capture; the rest only what the printer prints.

  @Override
  public boolean isTraceEnabled() {
    return printer.isTraceEnabled();
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return printer.isTraceEnabled();
  }

  @Override
  public boolean isDebugEnabled() {
    return printer.isDebugEnabled();
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return printer.isDebugEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return printer.isInfoEnabled() || LogCapture.wants(Level.INFO);
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return isInfoEnabled();
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return true;
  }
}
