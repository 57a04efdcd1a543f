package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The settings of a whole server: defaults, copies, and their checks. */
class ServerOptionsTest {
  private static final ServerInterceptor FIRST = new PassThroughInterceptor();
  private static final ServerInterceptor SECOND = new PassThroughInterceptor();

  /** Passes every call on unchanged. */
  private static final class PassThroughInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(call, headers);
    }
  }

  @Test
  void defaults_areTheServersOwnExecutor_noRegistry_noInterceptors_andGrpcsLimits() {
    ServerOptions defaults = ServerOptions.defaults();
    assertThat(defaults.executor()).isNull();
    assertThat(defaults.registry()).isNull();
    assertThat(defaults.interceptors()).isEmpty();
    assertThat(defaults.maxInboundMessageSize())
        .isEqualTo(ServerOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE)
        .isEqualTo(4 * 1024 * 1024);
    assertThat(defaults.maxHeaderListSize())
        .isEqualTo(ServerOptions.DEFAULT_MAX_HEADER_LIST_SIZE)
        .isEqualTo(8 * 1024);
    assertThat(defaults.maxConcurrentStreams())
        .isEqualTo(ServerOptions.DEFAULT_MAX_CONCURRENT_STREAMS)
        .isEqualTo(1500);
    assertThat(defaults.maxConcurrentCalls())
        .isEqualTo(ServerOptions.DEFAULT_MAX_CONCURRENT_CALLS)
        .isEqualTo(2000);
    assertThat(ServerOptions.defaults()).isSameAs(defaults);
  }

  @Test
  void withX_returnsACopy_withOnlyThatSettingChanged() {
    Executor executor = Runnable::run;
    RegistryConfig registry = RegistryConfig.fromUrl("memory://server-options-test");
    ServerOptions defaults = ServerOptions.defaults();
    ServerOptions changed =
        defaults
            .withExecutor(executor)
            .withRegistry(registry)
            .withInterceptors(FIRST)
            .withMaxInboundMessageSize(100)
            .withMaxHeaderListSize(200)
            .withMaxConcurrentStreams(3);
    assertThat(changed.executor()).isSameAs(executor);
    assertThat(changed.registry()).isSameAs(registry);
    assertThat(changed.interceptors()).containsExactly(FIRST);
    assertThat(changed.maxInboundMessageSize()).isEqualTo(100);
    assertThat(changed.maxHeaderListSize()).isEqualTo(200);
    assertThat(changed.maxConcurrentStreams()).isEqualTo(3);

    ServerOptions smaller = changed.withMaxInboundMessageSize(50);
    assertThat(smaller.maxInboundMessageSize()).isEqualTo(50);
    assertThat(changed.maxInboundMessageSize()).isEqualTo(100);
    assertThat(smaller.executor()).isSameAs(executor);
    assertThat(smaller.registry()).isSameAs(registry);
    assertThat(smaller.interceptors()).containsExactly(FIRST);
    assertThat(smaller.maxHeaderListSize()).isEqualTo(200);
    assertThat(smaller.maxConcurrentStreams()).isEqualTo(3);

    // The defaults are untouched.
    assertThat(defaults.executor()).isNull();
    assertThat(defaults.registry()).isNull();
    assertThat(defaults.interceptors()).isEmpty();
    assertThat(defaults.maxInboundMessageSize())
        .isEqualTo(ServerOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE);
  }

  @Test
  void withInterceptors_appendsAfterThoseAlreadySet_andTheListIsUnmodifiable() {
    ServerOptions one = ServerOptions.defaults().withInterceptors(FIRST);
    ServerOptions three = one.withInterceptors(SECOND, FIRST);
    assertThat(three.interceptors()).containsExactly(FIRST, SECOND, FIRST);
    assertThat(one.interceptors()).containsExactly(FIRST);
    assertThat(one.withInterceptors().interceptors()).containsExactly(FIRST);
    List<ServerInterceptor> list = three.interceptors();
    assertThatThrownBy(() -> list.add(SECOND)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withCorsAllowedOrigins_keepsOrigins_noneByDefault_andRefusesWhatIsNoOrigin() {
    assertThat(ServerOptions.defaults().corsAllowedOrigins()).isEmpty();
    ServerOptions cors =
        ServerOptions.defaults().withCorsAllowedOrigins("https://app.example.com", "*");
    assertThat(cors.corsAllowedOrigins()).containsExactly("https://app.example.com", "*");
    assertThat(cors.withCorsAllowedOrigins().corsAllowedOrigins()).isEmpty();
    assertThatThrownBy(() -> ServerOptions.defaults().withCorsAllowedOrigins("app.example.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheme://host");
    assertThatThrownBy(
            () -> ServerOptions.defaults().withCorsAllowedOrigins("https://app.example.com/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerOptions.defaults().withCorsAllowedOrigins(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limits_mustBePositive_andTheMessageSaysWhich() {
    ServerOptions defaults = ServerOptions.defaults();
    assertThatThrownBy(() -> defaults.withMaxInboundMessageSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInboundMessageSize must be positive: 0");
    assertThatThrownBy(() -> defaults.withMaxHeaderListSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxHeaderListSize must be positive: -1");
    assertThatThrownBy(() -> defaults.withMaxConcurrentStreams(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentStreams must be positive: 0");
    assertThatThrownBy(() -> ServerOptions.defaults().withMaxConcurrentCalls(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentCalls must be positive: 0");
  }

  @Test
  void shutdownGracePeriod_isThirtySecondsByDefault_zeroAllowed_negativeRefused() {
    ServerOptions defaults = ServerOptions.defaults();
    assertThat(defaults.shutdownGracePeriod()).isEqualTo(Server.DEFAULT_GRACE_PERIOD);
    assertThat(defaults.withShutdownGracePeriod(Duration.ZERO).shutdownGracePeriod()).isZero();
    assertThatThrownBy(() -> defaults.withShutdownGracePeriod(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownGracePeriod");
  }

  @Test
  void maxDeadline_isNoneByDefault_andMustBePositive() {
    ServerOptions defaults = ServerOptions.defaults();
    assertThat(defaults.maxDeadline()).isNull();
    assertThat(defaults.withMaxDeadline(Duration.ofMinutes(5)).maxDeadline())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.withMaxDeadline(Duration.ofMinutes(5)).toString())
        .contains("maxDeadline=PT5M");
    assertThatThrownBy(() -> defaults.withMaxDeadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDeadline must be positive: PT0S");
    assertThatThrownBy(() -> defaults.withMaxDeadline(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("maxDeadline");
  }

  @Test
  void exceptionDetails_areOffByDefault() {
    assertThat(ServerOptions.defaults().exceptionDetails()).isFalse();
    assertThat(ServerOptions.defaults().withExceptionDetails(true).exceptionDetails()).isTrue();
  }

  @Test
  void nulls_areRefused_withTheirName() {
    ServerOptions defaults = ServerOptions.defaults();
    assertThatThrownBy(() -> defaults.withExecutor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor");
    assertThatThrownBy(() -> defaults.withRegistry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry");
    assertThatThrownBy(() -> defaults.withInterceptors(FIRST, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("interceptor");
    assertThatThrownBy(() -> new Server((ServerOptions) null, List.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("options");
  }

  @Test
  void toString_showsTheSettings() {
    assertThat(ServerOptions.defaults())
        .hasToString(
            "ServerOptions{executor=default, registry=none, interceptors=0,"
                + " maxInboundMessageSize=4194304, maxHeaderListSize=8192,"
                + " maxConcurrentStreams=1500, maxConcurrentCalls=2000}");
    assertThat(
            ServerOptions.defaults()
                .withRegistry(RegistryConfig.fromUrl("zookeeper://127.0.0.1:2181"))
                .withInterceptors(FIRST, SECOND)
                .withMaxInboundMessageSize(1024)
                .withMaxHeaderListSize(2048)
                .withMaxConcurrentStreams(10)
                .withMaxConcurrentCalls(20))
        .hasToString(
            "ServerOptions{executor=default, registry=zookeeper://127.0.0.1:2181, interceptors=2,"
                + " maxInboundMessageSize=1024, maxHeaderListSize=2048, maxConcurrentStreams=10,"
                + " maxConcurrentCalls=20}");
    Executor executor =
        new Executor() {
          @Override
          public void execute(Runnable command) {
            command.run();
          }

          @Override
          public String toString() {
            return "my-executor";
          }
        };
    assertThat(ServerOptions.defaults().withExecutor(executor).toString())
        .startsWith("ServerOptions{executor=my-executor, ");
  }

  @Test
  void withStaticResources_keepsTheFolder_andRefusesOneThatLeavesIt() {
    ServerOptions options = ServerOptions.defaults();

    assertThat(options.staticResources()).isNull();
    assertThat(options.withStaticResources("/site/").staticResources()).isEqualTo("site");
    assertThatThrownBy(() -> options.withStaticResources("a/../b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a/../b'");
  }
}
