package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.ReferenceConfig.Cluster;
import io.tri4j.ReferenceConfig.Serialization;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceConfigTest {
  @Test
  void fromUrl_dubboPythonExample_readsHostPortAndService() {
    ReferenceConfig config =
        ReferenceConfig.fromUrl("tri://127.0.0.1:50051/org.apache.dubbo.samples.proto.Greeter");
    assertThat(config.protocol()).isEqualTo("tri");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(50051);
    assertThat(config.service()).isEqualTo("org.apache.dubbo.samples.proto.Greeter");
    assertThat(config.parameters()).isEmpty();
  }

  @Test
  void fromUrl_queryParameters_areKeptDecodedAndInOrder() {
    ReferenceConfig config =
        ReferenceConfig.fromUrl(
            "tri://example.test:7000/a.B?timeout=3000&compression=gzip&version=1.0.0&group=x%20y&application");
    assertThat(config.parameters())
        .containsExactly(
            Map.entry("timeout", "3000"),
            Map.entry("compression", "gzip"),
            Map.entry("version", "1.0.0"),
            Map.entry("group", "x y"),
            Map.entry("application", ""));
    assertThat(config.parameter("timeout")).isEqualTo("3000");
    assertThat(config.parameter("missing")).isNull();
  }

  @Test
  void fromUrl_noPort_defaultsTo50051() {
    assertThat(ReferenceConfig.fromUrl("tri://localhost/a.B").port()).isEqualTo(50051);
  }

  @Test
  void fromUrl_ipv6Host_isUnbracketed_andToUrlRoundTrips() {
    ReferenceConfig config = ReferenceConfig.fromUrl("tri://[::1]:9000/a.B?group=v");
    assertThat(config.host()).isEqualTo("::1");
    assertThat(config.toUrl()).isEqualTo("tri://[::1]:9000/a.B?group=v");
  }

  @Test
  void fromUrl_badInput_isIllegalArgumentWithReason() {
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("http://h:1/a.B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tri://");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No service");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://:50051/a.B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No host");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Malformed");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://[::1/a.B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Malformed");
  }

  @Test
  void forService_hasNoHost_forARegistry_andADirectClientRefusesIt() {
    ReferenceConfig config = ReferenceConfig.forService("a.B");
    assertThat(config.host()).isNull();
    assertThat(config.service()).isEqualTo("a.B");
    assertThat(ReferenceConfig.fromUrl("tri:///a.B?version=1").parameter("version")).isEqualTo("1");
    assertThatThrownBy(() -> new Client(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RegistryConfig");
  }

  @Test
  void withParameter_returnsCopy() {
    ReferenceConfig base = ReferenceConfig.fromUrl("tri://h:1/a.B");
    ReferenceConfig changed = base.withParameter("timeout", "10");
    assertThat(base.parameters()).isEmpty();
    assertThat(changed.parameter("timeout")).isEqualTo("10");
  }

  @Test
  void fromUrl_protocol_isReadInAnyCase_andDefaultsToGrpc() {
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B").wireProtocol())
        .isEqualTo(ReferenceConfig.WireProtocol.GRPC);
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B?protocol=gRPC-Web").wireProtocol())
        .isEqualTo(ReferenceConfig.WireProtocol.GRPC_WEB);
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B?protocol=connect").wireProtocol())
        .isEqualTo(ReferenceConfig.WireProtocol.CONNECT);
    ReferenceConfig web =
        ReferenceConfig.fromUrl("tri://h:1/a.B")
            .withWireProtocol(ReferenceConfig.WireProtocol.GRPC_WEB);
    assertThat(web.parameter("protocol")).isEqualTo("grpc-web");
    assertThat(web.protocol()).as("the URL's scheme is another thing").isEqualTo("tri");
  }

  @Test
  void fromUrl_unknownProtocol_saysWhichThereAre() {
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a.B?protocol=grpc_web"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Bad value 'grpc_web' for parameter protocol in URL 'tri://h:1/a.B?protocol=grpc_web':"
                + " expected grpc, grpc-web or connect");
  }

  private static final String KNOWN =
      "Known parameters: application, cluster, compression, group, keepAliveTime,"
          + " keepAliveTimeout, keepAliveWithoutCalls, loadbalance, protocol, retries,"
          + " serialization, ssl-enabled, timeout, version.";

  @Test
  void fromUrl_misspelledParameter_namesKnownOnes() {
    String url = "tri://127.0.0.1:50051/a.B?timout=100";
    assertThatThrownBy(() -> ReferenceConfig.fromUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter 'timout' in URL '" + url + "'; did you mean 'timeout'? " + KNOWN);
  }

  @ParameterizedTest
  @CsvSource({
    "Timeout, timeout",
    "loadBalance, loadbalance",
    "loadbalancer, loadbalance",
    "serialisation, serialization",
    "compresion, compression",
    "versoin, version",
    "grup, group"
  })
  void fromUrl_nearMiss_suggestsTheKnownName(String written, String meant) {
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a.B?" + written + "=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown parameter '" + written + "'")
        .hasMessageContaining("did you mean '" + meant + "'?");
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "flag", "interface", "x"})
  void fromUrl_unknownParameterNearNoKnownOne_listsThemWithoutAGuess(String name) {
    String url = "tri:///a.B?version=1&" + name + "=false";
    assertThatThrownBy(() -> ReferenceConfig.fromUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown parameter '" + name + "' in URL '" + url + "'. " + KNOWN);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "timeout=soon       | timeout       | soon   | a positive number of milliseconds",
        "timeout=0          | timeout       | 0      | a positive number of milliseconds",
        "timeout=-100       | timeout       | -100   | a positive number of milliseconds",
        "timeout=1.5        | timeout       | 1.5    | a positive number of milliseconds",
        "compression=lz4    | compression   | lz4    | identity, gzip, deflate",
        "serialization=xml  | serialization | xml    | protobuf or json",
        "cluster=broadcast  | cluster       | broadcast | failover or failfast",
        "retries=-1         | retries       | -1     | a non-negative integer",
        "retries=two        | retries       | two    | a non-negative integer",
        "loadbalance=fastest | loadbalance  | fastest | random, roundrobin, leastactive or p2c",
        "version=1%092     | version       | 1\t2   | printable ASCII",
        "group=gr%C3%BCn    | group         | grün   | printable ASCII",
        "application=a%7Fb  | application   | a\u007fb | printable ASCII",
      })
  void fromUrl_badValue_namesParameterValueAndWhatToWrite(
      String query, String name, String value, String expected) {
    String url = "tri://h:1/a.B?" + query;
    assertThatThrownBy(() -> ReferenceConfig.fromUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Bad value '" + value + "' for parameter " + name + " in URL '" + url + "': expected ")
        .hasMessageContaining(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "tri://127.0.0.1:abc/svc, abc",
    "tri://127.0.0.1:99999/svc, 99999",
    "tri://127.0.0.1:0/svc, 0",
    "tri://example.test:99999999999/svc, 99999999999",
    "tri://[::1]:x1/svc, x1",
    "tri://[::1]:65536/svc, 65536",
    "tri://h:8o8o/svc?timeout=1, 8o8o",
    "tri://h:-1/svc, -1"
  })
  void fromUrl_badPort_namesThePort(String url, String port) {
    assertThatThrownBy(() -> ReferenceConfig.fromUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Bad port '" + port + "' in URL '" + url + "': expected a number from 1 to 65535");
  }

  @Test
  void fromUrl_edgePorts_areAccepted() {
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B").port()).isEqualTo(1);
    assertThat(ReferenceConfig.fromUrl("tri://h:65535/a.B").port()).isEqualTo(65535);
  }

  @Test
  void typedAccessors_readEveryParameter() {
    ReferenceConfig config =
        ReferenceConfig.fromUrl(
            "tri:///a.B?timeout=250&compression=GZIP&serialization=json&version=1.0.0&group=g"
                + "&application=app&loadbalance=RoundRobin&cluster=failfast&retries=5");
    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.compression()).isEqualTo("gzip");
    assertThat(config.serialization()).isEqualTo(Serialization.JSON);
    assertThat(config.version()).isEqualTo("1.0.0");
    assertThat(config.group()).isEqualTo("g");
    assertThat(config.application()).isEqualTo("app");
    assertThat(config.loadbalance()).isEqualTo("roundrobin");
    assertThat(config.cluster()).isEqualTo(Cluster.FAILFAST);
    assertThat(config.retries()).isEqualTo(5);
    // The parameters themselves stay as written.
    assertThat(config.parameter("compression")).isEqualTo("GZIP");
    assertThat(config.parameter("loadbalance")).isEqualTo("RoundRobin");
  }

  @Test
  void typedAccessors_withoutParameters_areUnsetAndSerializationIsProtobuf() {
    ReferenceConfig config = ReferenceConfig.fromUrl("tri://h:1/a.B");
    assertThat(config.timeout()).isNull();
    assertThat(config.compression()).isNull();
    assertThat(config.serialization()).isEqualTo(Serialization.PROTOBUF);
    assertThat(config.version()).isNull();
    assertThat(config.group()).isNull();
    assertThat(config.application()).isNull();
    assertThat(config.loadbalance()).isNull();
    assertThat(config.cluster()).isNull();
    assertThat(config.retries()).isNull();
    assertThat(ReferenceConfig.forInMemory("m", "a.B").timeout()).isNull();
    assertThat(ReferenceConfig.forInMemory("m", "a.B").serialization())
        .isEqualTo(Serialization.PROTOBUF);
  }

  @Test
  void emptyValue_isTheSameAsNone() {
    ReferenceConfig config =
        ReferenceConfig.fromUrl("tri://h:1/a.B?timeout=&compression=&version=&retries=");
    assertThat(config.timeout()).isNull();
    assertThat(config.compression()).isNull();
    assertThat(config.version()).isNull();
    assertThat(config.retries()).isNull();
    assertThat(config.parameters()).containsEntry("timeout", "");
  }

  @Test
  void everyLoadBalancerInTheMessage_isAccepted() {
    for (String name : new String[] {"random", "roundrobin", "leastactive", "p2c"}) {
      assertThat(ReferenceConfig.fromUrl("tri:///a.B?loadbalance=" + name).loadbalance())
          .isEqualTo(name);
    }
  }

  @Test
  void withParameter_checksAsFromUrlDoes_andLeavesTheOriginal() {
    ReferenceConfig base = ReferenceConfig.fromUrl("tri://h:1/a.B");
    assertThatThrownBy(() -> base.withParameter("timout", "100"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Unknown parameter 'timout' for 'tri://h:1/a.B'; did you mean 'timeout'? " + KNOWN);
    assertThatThrownBy(() -> base.withParameter("timeout", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Bad value 'soon' for parameter timeout for 'tri://h:1/a.B'");
    assertThatThrownBy(() -> base.withParameter("retries", "-2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retries");
    assertThat(base.parameters()).isEmpty();
    assertThat(base.withParameter("timeout", "100").timeout()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void keepAlive_offByDefault_readFromTheUrl_andChecked() {
    ReferenceConfig plain = ReferenceConfig.fromUrl("tri://h:1/a.B");
    assertThat(plain.keepAliveTime()).isNull();
    assertThat(plain.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(plain.keepAliveWithoutCalls()).isFalse();

    ReferenceConfig set =
        ReferenceConfig.fromUrl(
            "tri://h:1/a.B?keepAliveTime=30000&keepAliveTimeout=5000&keepAliveWithoutCalls=TRUE");
    assertThat(set.keepAliveTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(set.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(set.keepAliveWithoutCalls()).isTrue();
    assertThat(
            plain
                .withKeepAliveTime(Duration.ofSeconds(30))
                .withKeepAliveTimeout(Duration.ofSeconds(5))
                .withKeepAliveWithoutCalls(true)
                .parameters())
        .containsEntry("keepAliveTime", "30000")
        .containsEntry("keepAliveTimeout", "5000")
        .containsEntry("keepAliveWithoutCalls", "true");

    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a.B?keepAliveTime=0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad value '0' for parameter keepAliveTime")
        .hasMessageContaining("such as keepAliveTime=30000");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a.B?keepAliveWithoutCalls=yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a.B?keepalivetime=1000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did you mean 'keepAliveTime'?");
  }

  @Test
  void withX_setTheParameter_andCheckIt() {
    ReferenceConfig base = ReferenceConfig.fromUrl("tri://h:1/a.B");
    ReferenceConfig changed =
        base.withTimeout(Duration.ofMillis(1500))
            .withCompression("deflate")
            .withSerialization(Serialization.JSON)
            .withVersion("2.0.0")
            .withGroup("g");
    assertThat(changed.parameters())
        .containsExactly(
            Map.entry("timeout", "1500"),
            Map.entry("compression", "deflate"),
            Map.entry("serialization", "json"),
            Map.entry("version", "2.0.0"),
            Map.entry("group", "g"));
    assertThat(changed.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(changed.serialization()).isEqualTo(Serialization.JSON);
    assertThat(changed.withTimeout(Duration.ofSeconds(2)).timeout())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(base.parameters()).isEmpty();
    assertThat(changed.withMaxInboundMessageSize(10).withConnectTimeout(Duration.ofSeconds(1)))
        .satisfies(c -> assertThat(c.timeout()).isEqualTo(Duration.ofMillis(1500)));

    assertThatThrownBy(() -> base.withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> base.withTimeout(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("millisecond");
    assertThatThrownBy(() -> base.withCompression("lz4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lz4");
    assertThatThrownBy(() -> base.withVersion("1.0\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("printable ASCII");
  }

  @Test
  void toUrl_fromUrl_roundTrip() {
    String url =
        "tri://example.test:7000/a.B?timeout=3000&serialization=json&group=x%20y%2Bz%26w"
            + "&application=a%3Db&loadbalance=p2c&cluster=failover&retries=0";
    ReferenceConfig config = ReferenceConfig.fromUrl(url);
    assertThat(config.group()).isEqualTo("x y+z&w");
    assertThat(config.application()).isEqualTo("a=b");
    assertThat(config.toUrl()).isEqualTo(url);
    ReferenceConfig back = ReferenceConfig.fromUrl(config.toUrl());
    assertThat(back.parameters()).isEqualTo(config.parameters());
    assertThat(back.group()).isEqualTo("x y+z&w");
    assertThat(back.retries()).isZero();

    ReferenceConfig built =
        ReferenceConfig.forService("a.B").withGroup("with space").withTimeout(Duration.ofMillis(7));
    ReferenceConfig reread = ReferenceConfig.fromUrl(built.toUrl());
    assertThat(reread.group()).isEqualTo("with space");
    assertThat(reread.timeout()).isEqualTo(Duration.ofMillis(7));
    assertThat(reread.host()).isNull();
  }

  @Test
  void withRegistryDefaults_fillsWhatTheReferenceLeavesOut_referenceWins() {
    RegistryConfig registry =
        RegistryConfig.fromUrl(
            "zookeeper://zk:2181?loadbalance=roundrobin&cluster=failfast&retries=7"
                + "&session=4000&timeout=3000&group=root&weight=5");
    ReferenceConfig fromRegistry = ReferenceConfig.forService("a.B").withRegistryDefaults(registry);
    assertThat(fromRegistry.loadbalance()).isEqualTo("roundrobin");
    assertThat(fromRegistry.cluster()).isEqualTo(Cluster.FAILFAST);
    assertThat(fromRegistry.retries()).isEqualTo(7);
    // The registry's own parameters (ZooKeeper's timeout and group root) are not the reference's.
    assertThat(fromRegistry.timeout()).isNull();
    assertThat(fromRegistry.group()).isNull();

    ReferenceConfig own =
        ReferenceConfig.fromUrl("tri:///a.B?loadbalance=p2c&cluster=failover&retries=1")
            .withRegistryDefaults(registry);
    assertThat(own.loadbalance()).isEqualTo("p2c");
    assertThat(own.cluster()).isEqualTo(Cluster.FAILOVER);
    assertThat(own.retries()).isEqualTo(1);
  }

  @Test
  void withRegistryDefaults_badRegistryValue_namesTheRegistryButNotItsPassword() {
    RegistryConfig registry =
        RegistryConfig.fromUrl("zookeeper://zk:2181?username=u&password=s3cret&retries=many");
    assertThatThrownBy(() -> ReferenceConfig.forService("a.B").withRegistryDefaults(registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Bad value 'many' for parameter retries in registry URL 'zookeeper://zk:2181'")
        .message()
        .doesNotContain("s3cret");
    // The reference's own value wins, so the registry's is not even read.
    assertThat(
            ReferenceConfig.fromUrl("tri:///a.B?retries=3")
                .withRegistryDefaults(registry)
                .retries())
        .isEqualTo(3);
  }

  @Test
  void fromUrl_sslEnabled_readAsABoolean() {
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B?ssl-enabled=TRUE").tlsEnabled()).isTrue();
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B?ssl-enabled=false").tlsEnabled()).isFalse();
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B").tlsEnabled()).isFalse();
    assertThat(ReferenceConfig.fromUrl("tri://h:1/a.B").withTls(ClientTls.defaults()).tlsEnabled())
        .isTrue();
    assertThatThrownBy(() -> ReferenceConfig.fromUrl("tri://h:1/a.B?ssl-enabled=yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl-enabled")
        .hasMessageContaining("true or false");
  }
}
