package io.tri4j.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The tests' SLF4J provider (chosen with {@code -Dslf4j.provider} in the build): slf4j-simple's,
 * with every logger wrapped so that {@link LogCapture} sees its warnings and errors, whether or not
 * {@code simplelogger.properties} lets them be printed.
 */
public final class CapturingServiceProvider implements SLF4JServiceProvider {
  private final SimpleServiceProvider simple = new SimpleServiceProvider();
  private final Map<String, CapturingLogger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory =
      name ->
          loggers.computeIfAbsent(
              name, n -> new CapturingLogger(simple.getLoggerFactory().getLogger(n)));

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return simple.getMarkerFactory();
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return simple.getMDCAdapter();
  }

  @Override
  public String getRequestedApiVersion() {
    return simple.getRequestedApiVersion();
  }

  @Override
  public void initialize() {
    simple.initialize();
  }
}
