package io.tri4j.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty's leak detector finds a reference-counted object (a {@link
 * ByteBuf}, a {@code HashedWheelTimer}, ...) that was garbage-collected without being released.
 *
 * <p>Every test class of every module gets it without an annotation: JUnit's extension
 * auto-detection is on ({@code junit-platform.properties}) and the extension is listed in {@code
 * META-INF/services/org.junit.jupiter.api.extension.Extension}, both in tri4j's test jar, which the
 * other modules' tests depend on. The test JVMs run with {@code
 * -Dio.netty.leakDetection.level=paranoid} (surefire's and failsafe's argLine), so every buffer is
 * tracked with its access records; without that property (an IDE) this class sets that level.
 *
 * <p>Loading this class installs a {@link ResourceLeakDetectorFactory} whose detectors record the
 * leaks they find instead of logging them. It must happen before Netty creates its first detector
 * (when the buffer classes are initialized), which auto-detection ensures: JUnit creates the
 * extension before it runs any test class. Were Netty first anyway, {@link #beforeAll} fails every
 * class rather than let the check pass unarmed.
 *
 * <p>After each class ({@link #afterAll}, which runs after the class's own {@code @AfterAll}
 * methods and extensions have closed their servers and clients), the garbage collector runs until a
 * sentinel weak reference is cleared, the detectors poll their reference queues, and the class
 * fails if any leak was recorded, whichever thread's object it was. A leak that only becomes
 * garbage later (a connection still closing in the background) fails the class after which it is
 * found, or, after the last class, the engine's run ("JUnit Jupiter" in the report); the records
 * tell where the object was made and last used.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
  private static final Duration GC_WAIT = Duration.ofSeconds(5);
  private static final int GC_ROUNDS = 3;

  /** A leak found by one of Netty's detectors. */
  public record Leak(String resourceType, String records) {
    @Override
    public String toString() {
      return "LEAK: "
          + resourceType
          + ".release() was not called before it was garbage-collected."
          + (records.isEmpty()
              ? " (No access records: the leak detection level is below advanced.)"
              : records);
    }
  }

  private static final List<RecordingDetector<?>> detectors = new CopyOnWriteArrayList<>();
  private static final List<Leak> leaks = new CopyOnWriteArrayList<>();
  private static final String NOT_ARMED;

  static {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      // Outside Maven (an IDE), where the argLine's level is not set.
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    // Initialize the buffer classes now; their detector must be one of ours.
    ByteBufAllocator.DEFAULT.buffer(1).release();
    NOT_ARMED =
        detectors.stream().anyMatch(d -> d.resourceType.equals(ByteBuf.class.getSimpleName()))
            ? null
            : "Netty's ByteBuf leak detector was created before "
                + LeakCheckExtension.class.getName()
                + " could install its factory: leaks would go unnoticed";
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (NOT_ARMED != null) {
      throw new IllegalStateException(NOT_ARMED);
    }
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(LeakCheckExtension.class))
        .getOrComputeIfAbsent(LastCheck.class, key -> new LastCheck(), LastCheck.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(
        "after "
            + context.getRequiredTestClass().getName()
            + " (made by it, or by background work of an earlier class)");
  }

  private static void check(String when) {
    List<Leak> found = collectLeaks();
    if (!found.isEmpty()) {
      throw new AssertionError(
          found.size()
              + " leak(s) found "
              + when
              + ":\n"
              + String.join("\n", found.stream().map(Leak::toString).toList()));
    }
  }

  /** Closed by JUnit after the last test class: the leaks of that class's background work. */
  private static final class LastCheck implements AutoCloseable {
    @Override
    public void close() {
      check("after the last test class");
    }
  }

  /**
   * Runs the garbage collector and the detectors' polling, then takes every leak recorded so far:
   * they are no longer reported.
   */
  public static List<Leak> collectLeaks() {
    forceCollection();
    return take(leak -> true);
  }

  /**
   * Runs the garbage collector and the detectors' polling until a leak that {@code which} accepts
   * has been recorded, or for a few rounds; takes and returns the accepted leaks (the others stay
   * recorded, for the class's check).
   */
  public static List<Leak> collectLeaks(Predicate<Leak> which) {
    long deadline = System.nanoTime() + GC_WAIT.toNanos();
    do {
      forceCollection();
    } while (leaks.stream().noneMatch(which) && System.nanoTime() < deadline);
    return take(which);
  }

  private static synchronized List<Leak> take(Predicate<Leak> which) {
    List<Leak> taken = new ArrayList<>();
    for (Leak leak : leaks) {
      if (which.test(leak) && leaks.remove(leak)) {
        taken.add(leak);
      }
    }
    return taken;
  }

  /**
   * Full collections until a sentinel's weak reference is enqueued, a few times over (the reference
   * handler thread enqueues the detectors' references after the collection), each followed by a
   * poll of every detector's reference queue.
   */
  private static void forceCollection() {
    for (int round = 0; round < GC_ROUNDS; round++) {
      ReferenceQueue<Object> queue = new ReferenceQueue<>();
      WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
      long deadline = System.nanoTime() + GC_WAIT.toNanos();
      try {
        do {
          System.gc();
        } while (queue.remove(20) == null && System.nanoTime() < deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the garbage collector", e);
      } finally {
        Reference.reachabilityFence(sentinel);
      }
      for (RecordingDetector<?> detector : detectors) {
        detector.poll();
      }
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval) {
      RecordingDetector<T> detector = new RecordingDetector<>(resource, samplingInterval);
      detectors.add(detector);
      return detector;
    }

    @Override
    @Deprecated
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return newResourceLeakDetector(resource, samplingInterval);
    }
  }

  /** Records the leaks it finds, whatever the level of Netty's logger. */
  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    private final String resourceType;

    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
      this.resourceType = resource.getSimpleName();
    }

    /** Tracking an object makes the detector poll its queue of collected, unreleased objects. */
    @SuppressWarnings("unchecked")
    void poll() {
      T probe = (T) new Object();
      ResourceLeakTracker<T> tracker = trackForcibly(probe);
      tracker.close(probe);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      leaks.add(new Leak(resourceType, records));
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      leaks.add(new Leak(resourceType, ""));
    }
  }
}
