package io.tri4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandlerExecutorTest {
  @Test
  void named_direct_runsOnTheCallingThread() {
    Thread[] ran = new Thread[1];
    HandlerExecutor.named("direct", 17).execute(() -> ran[0] = Thread.currentThread());
    assertThat(ran[0]).isSameAs(Thread.currentThread());
  }

  @Test
  void named_pool_runsOnADaemonPlatformThread() throws Exception {
    Executor pool = HandlerExecutor.named("pool", 17);
    try {
      CompletableFuture<Thread> ran = new CompletableFuture<>();
      pool.execute(() -> ran.complete(Thread.currentThread()));
      Thread thread = ran.get(10, TimeUnit.SECONDS);
      assertThat(thread).isNotSameAs(Thread.currentThread());
      assertThat(thread.isDaemon()).isTrue();
      assertThat(thread.getName()).startsWith("greeter-handler-");
    } finally {
      ((ExecutorService) pool).shutdown();
    }
  }

  @Test
  void named_virtualBeforeJdk21_failsSayingWhatToUse() {
    assertThatThrownBy(() -> HandlerExecutor.named("virtual", 17))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--executor virtual needs JDK 21 or later; this is JDK 17. Use --executor pool or"
                + " direct.");
  }

  @Test
  void named_unknown_failsNamingTheChoices() {
    assertThatThrownBy(() -> HandlerExecutor.named("forkjoin", 21))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--executor must be direct, pool or virtual, not 'forkjoin'");
  }

  @Test
  void main_serverWithUnknownExecutor_failsBeforeServing() {
    assertThatThrownBy(
            () ->
                Main.run(
                    new String[] {"server", "--port", "0", "--executor", "threads"}, System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--executor must be direct, pool or virtual");
  }
}
