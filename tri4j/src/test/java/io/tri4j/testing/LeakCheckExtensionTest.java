package io.tri4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.tri4j.testing.LeakCheckExtension.Leak;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The leak check can fail: a buffer dropped without {@code release()} is found, with its records,
 * and fails the test class that dropped it. Each deliberate leak is taken from the record here, so
 * that it does not fail this class too.
 */
class LeakCheckExtensionTest {
  private static final String SELF_TEST = "tri4j.leakCheck.selfTest";

  @Test
  void testJvmRunsParanoid() {
    assertThat(ResourceLeakDetector.getLevel())
        .as("io.netty.leakDetection.level (the argLine sets it; LeakCheckExtension without it)")
        .isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }

  @Test
  void unreleasedBuffer_isFoundWithItsRecords_releasedOneIsNot() {
    String leaked = "leaked-" + UUID.randomUUID();
    String released = "released-" + UUID.randomUUID();
    dropBuffer(leaked, false);
    dropBuffer(released, true);

    List<Leak> found =
        LeakCheckExtension.collectLeaks(
            leak -> leak.records().contains(leaked) || leak.records().contains(released));

    assertThat(found).hasSize(1);
    Leak leak = found.get(0);
    assertThat(leak.resourceType()).isEqualTo("ByteBuf");
    assertThat(leak.records())
        .contains("Hint: " + leaked)
        .contains("Created at:")
        .contains(LeakCheckExtensionTest.class.getName() + ".dropBuffer(");
    assertThat(leak.toString()).startsWith("LEAK: ByteBuf.release() was not called");
  }

  @Test
  void classThatLeaks_fails_namingTheLeak() {
    // Keyed by the test's method or class name; the engine (no source) by its display name.
    Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Leaking.class))
                .configurationParameter(SELF_TEST, "true")
                .build(),
            new TestExecutionListener() {
              @Override
              public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                String key = id.getDisplayName();
                if (id.getSource().orElse(null) instanceof MethodSource method) {
                  key = method.getMethodName();
                } else if (id.getSource().orElse(null) instanceof ClassSource type) {
                  key = type.getClassName();
                }
                results.put(key, result);
              }
            });

    assertThat(results).containsOnlyKeys("leaksABuffer", Leaking.class.getName(), "JUnit Jupiter");
    assertThat(results.get("leaksABuffer").getStatus())
        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    // The check after the last class took nothing: any other leak would have been hidden there.
    assertThat(results.get("JUnit Jupiter").getStatus())
        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    TestExecutionResult classResult = results.get(Leaking.class.getName());
    assertThat(classResult.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    // Exactly the one deliberate leak: any other would be hidden in this failure.
    assertThat(classResult.getThrowable())
        .get()
        .isInstanceOf(AssertionError.class)
        .extracting(Throwable::getMessage)
        .asString()
        .startsWith("1 leak(s) found after " + Leaking.class.getName() + " (")
        .contains("LEAK: ByteBuf.release() was not called")
        .contains("Hint: " + Leaking.HINT)
        .contains(Leaking.class.getName() + ".leaksABuffer(");
  }

  /** Allocates a tracked buffer and drops it; nothing keeps it reachable after the return. */
  private static void dropBuffer(String hint, boolean release) {
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(16);
    buf.writeLong(42).touch(hint);
    if (release) {
      buf.release();
    }
  }

  /** Runs only when {@link #classThatLeaks_fails_namingTheLeak} launches it. */
  @ExtendWith(OnlyInSelfTest.class)
  static class Leaking {
    static final String HINT = "deliberate-leak-" + UUID.randomUUID();

    @Test
    void leaksABuffer() {
      ByteBufAllocator.DEFAULT.buffer(16).writeLong(42).touch(HINT);
    }
  }

  static final class OnlyInSelfTest implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(SELF_TEST).isPresent()
          ? ConditionEvaluationResult.enabled("launched by LeakCheckExtensionTest")
          : ConditionEvaluationResult.disabled("runs only in LeakCheckExtensionTest");
    }
  }
}
