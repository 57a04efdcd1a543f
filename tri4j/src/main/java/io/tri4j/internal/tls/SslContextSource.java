package io.tri4j.internal.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context new connections of one server or one client transport take: read once, and read
 * again when its PEM files change if the settings ask for reloads. Connections already open keep
 * the context they started with.
 *
 * <h2>Reloading</h2>
 *
 * Every {@link TlsSettings#reloadInterval()}, the files' modification times and sizes are compared
 * with those last read; if any changed, the context is built anew. A build that fails (a key
 * written before its certificate, say) keeps the previous context and is tried again at the next
 * check. All sources of the JVM share one daemon thread, which ends when no source watches. A
 * client also checks before each connection it opens ({@link #refresh()}).
 */
public final class SslContextSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SslContextSource.class);

  private static final ScheduledThreadPoolExecutor WATCHER = newWatcher();

  private final TlsSettings settings;
  private final List<Path> files;
  private volatile SslContext current;
  private List<String> loadedStamps; // guarded by this
  private List<String> failedStamps; // guarded by this
  private ScheduledFuture<?> watch; // guarded by this

  private SslContextSource(TlsSettings settings) {
    this.settings = settings;
    this.files = settings.files();
    this.loadedStamps = stamps();
    this.current = SslContexts.build(settings);
  }

  /**
   * Reads the settings' key and certificates now, and watches their files if they ask for reloads.
   *
   * @throws IllegalArgumentException if they cannot be read (the message says which file)
   * @throws IllegalStateException if OpenSSL is asked for but not available
   */
  public static SslContextSource start(TlsSettings settings) {
    SslContextSource source = new SslContextSource(settings);
    if (settings.reloadInterval() != null && !source.files.isEmpty()) {
      long millis = Math.max(1, settings.reloadInterval().toMillis());
      synchronized (source) {
        source.watch =
            WATCHER.scheduleWithFixedDelay(
                source::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
      }
    }
    return source;
  }

  /** The settings this source reads. */
  public TlsSettings settings() {
    return settings;
  }

  /** The context for a new connection. */
  public SslContext current() {
    return current;
  }

  /**
   * Reads the files again now if they changed and the settings ask for reloads: what a client calls
   * before it connects, so that a connection opened right after the files changed (often because
   * the peer dropped the old one) does not keep the old files for its whole life.
   */
  public void refresh() {
    if (settings.reloadInterval() != null && !files.isEmpty()) {
      reloadIfChanged();
    }
  }

  /**
   * Builds the context anew if a file changed since it was last read; what the watcher runs.
   * Returns whether the context changed.
   */
  synchronized boolean reloadIfChanged() {
    List<String> stamps = stamps();
    if (stamps.equals(loadedStamps) || stamps.equals(failedStamps)) {
      return false;
    }
    try {
      current = SslContexts.build(settings);
      loadedStamps = stamps;
      failedStamps = null;
      log.info("Reloaded TLS {} from {}", settings.server() ? "server" : "client", files);
      return true;
    } catch (RuntimeException e) {
      failedStamps = stamps; // said once per change, not at every check
      log.warn(
          "TLS files changed but cannot be used, keeping the previous ones: {}", e.getMessage());
      return false;
    }
  }

  /** Each file's modification time and size: what tells a change. */
  private List<String> stamps() {
    List<String> stamps = new ArrayList<>(files.size());
    for (Path file : files) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        stamps.add(a.lastModifiedTime() + "/" + a.size());
      } catch (IOException e) {
        stamps.add("missing"); // being replaced: checked again next time
      }
    }
    return stamps;
  }

  /** Whether the files are being watched: for tests. */
  synchronized boolean isWatching() {
    return watch != null;
  }

  /** Stops watching the files. Idempotent. */
  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.cancel(false);
      watch = null;
    }
  }

  private static ScheduledThreadPoolExecutor newWatcher() {
    ScheduledThreadPoolExecutor watcher =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tri4j-tls-reload");
              t.setDaemon(true);
              return t;
            });
    watcher.setRemoveOnCancelPolicy(true);
    watcher.setKeepAliveTime(10, TimeUnit.SECONDS);
    watcher.allowCoreThreadTimeOut(true);
    return watcher;
  }
}
