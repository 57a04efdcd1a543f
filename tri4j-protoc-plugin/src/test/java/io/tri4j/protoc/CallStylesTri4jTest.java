package io.tri4j.protoc;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.tri4j.Client;
import io.tri4j.ReadStream;
import io.tri4j.ReferenceConfig;
import io.tri4j.ResponseStream;
import io.tri4j.RpcMethodHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tri4j.test.styles.v1.CallStylesOuterClass.Number;
import tri4j.test.styles.v1.CallStylesTri4j;

/**
 * The code generated for {@code call_styles.proto}: messages nested in a derived outer class, a
 * message of another file, method names in snake case and a Java keyword, and a method left
 * unimplemented, called over a real server.
 */
class CallStylesTri4jTest {
  private static Server server;
  private static Client client;
  private static CallStylesTri4j.CallStylesStub stub;

  /** Everything but {@code Unimplemented}. */
  static final class Numbers implements CallStylesTri4j.CallStyles {
    @Override
    public Number addOne(Number request) {
      return number(request.getValue() + 1);
    }

    @Override
    public Number sumAll(ReadStream<Number> requests) {
      return number(requests.stream().mapToLong(Number::getValue).sum());
    }

    @Override
    public Iterator<Number> count(Number request) {
      return LongStream.rangeClosed(1, request.getValue()).mapToObj(i -> number(i)).iterator();
    }

    @Override
    public Iterator<Number.Negated> negate(ReadStream<Number> requests) {
      return requests.stream()
          .map(n -> Number.Negated.newBuilder().setValue(-n.getValue()).build())
          .iterator();
    }

    @Override
    public Empty default_(Empty request) {
      return request;
    }
  }

  static Number number(long value) {
    return Number.newBuilder().setValue(value).build();
  }

  @BeforeAll
  static void start() {
    server =
        new Server(
                new ServiceConfig(CallStylesTri4j.serviceHandler(new Numbers()))
                    .withHost("127.0.0.1")
                    .withPort(0))
            .start();
    client =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:" + server.port() + "/" + CallStylesTri4j.SERVICE_NAME));
    stub = new CallStylesTri4j.CallStylesStub(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void serviceName_protoPackageAndServiceName() {
    assertThat(CallStylesTri4j.SERVICE_NAME).isEqualTo("tri4j.test.styles.v1.CallStyles");
    assertThat(CallStylesTri4j.METHOD_SUM_ALL.info().method()).isEqualTo("sum_all");
    assertThat(CallStylesTri4j.METHOD_DEFAULT.info().method()).isEqualTo("Default");
  }

  @Test
  void serviceHandler_noSideEffectsOption_marksOnlyThatMethod() {
    Map<String, RpcMethodHandler<?, ?>> handlers =
        CallStylesTri4j.serviceHandler(new Numbers()).methodHandlers();
    assertThat(handlers.get("AddOne").hasNoSideEffects()).isTrue();
    assertThat(handlers.get("Count").hasNoSideEffects()).isFalse();
  }

  @Test
  void everyStyle_nestedMessages_answered() {
    assertThat(stub.addOne(number(41)).getValue()).isEqualTo(42);
    assertThat(stub.sumAll(List.of(number(1), number(2), number(3))).getValue()).isEqualTo(6);
    try (ResponseStream<Number> counted = stub.count(number(3))) {
      assertThat(counted.stream().map(Number::getValue)).containsExactly(1L, 2L, 3L);
    }
    try (ResponseStream<Number.Negated> negated = stub.negate(List.of(number(5), number(-6)))) {
      assertThat(negated.stream().map(Number.Negated::getValue)).containsExactly(-5L, 6L);
    }
  }

  @Test
  void keywordMethod_messageOfAnotherFile_answered() {
    assertThat(stub.default_(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
  }

  @Test
  void methodNotOverridden_unimplementedNamingIt() {
    assertStatus(
        () -> stub.unimplemented(number(1)),
        Status.Code.UNIMPLEMENTED,
        "Method tri4j.test.styles.v1.CallStyles/Unimplemented is not implemented");
  }
}
