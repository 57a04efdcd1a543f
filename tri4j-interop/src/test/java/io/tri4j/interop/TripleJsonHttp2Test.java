package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Protobuf;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.testing.LeakCheckExtension;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.TriRpcStatus;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triple's {@code application/json} over HTTP/2: the same curl request ({@code
 * --http2-prior-knowledge}) to a real Apache Dubbo 3.3.6 provider and to tri4j, both serving {@link
 * PlainGreeter}, answer alike.
 */
@Timeout(60)
class TripleJsonHttp2Test {
  private static final String PATH = "/" + PlainGreeter.class.getName() + "/greet";
  private static DubboBootstrap dubbo;
  private static Server tri4j;
  private static String dubboBase;
  private static String tri4jBase;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProtocolConfig protocol = new ProtocolConfig("tri", port);
    protocol.setHost(DubboPeers.LOOPBACK);
    ApplicationConfig app = new ApplicationConfig("tri4j-interop-json");
    app.setQosEnable(false);
    app.setLogger("slf4j");
    org.apache.dubbo.config.ServiceConfig<PlainGreeter> service =
        new org.apache.dubbo.config.ServiceConfig<>();
    service.setInterface(PlainGreeter.class);
    service.setRef(new DubboPlainGreeter());
    dubbo =
        DubboBootstrap.newInstance(new FrameworkModel())
            .application(app)
            .registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
            .protocol(protocol)
            .service(service)
            .start();
    dubboBase = "http://127.0.0.1:" + port;
    RpcServiceHandler handler =
        new RpcServiceHandler(
            PlainGreeter.class.getName(),
            Map.of(
                "greet",
                RpcMethodHandler.unary(
                    TripleJsonHttp2Test::greet,
                    Protobuf.deserializer(GreeterRequest.parser()),
                    Protobuf.serializer())));
    tri4j = new Server(new ServiceConfig(handler).withHost("127.0.0.1").withPort(0)).start();
    tri4jBase = "http://127.0.0.1:" + tri4j.port();
  }

  @AfterAll
  static void stop() {
    tri4j.close();
    dubbo.destroy();
    FrameworkModel.destroyAll();
    // Dubbo 3.3.6 keeps the first bytes of each plaintext connection it sniffs: its leak, not ours.
    LeakCheckExtension.collectLeaks(
        leak -> leak.records().contains("TripleProtocolDetector.detect"));
  }

  private static GreeterReply greet(GreeterRequest request) throws Exception {
    if (request.getName().startsWith("error:")) {
      throw Status.NOT_FOUND.withDescription(request.getName().substring(6)).asException();
    }
    return GreeterReply.newBuilder().setMessage("hello " + request.getName()).build();
  }

  /** Dubbo's side of {@link PlainGreeter}. */
  static final class DubboPlainGreeter implements PlainGreeter {
    @Override
    public GreeterReply greet(GreeterRequest request) {
      if (request.getName().startsWith("error:")) {
        throw TriRpcStatus.NOT_FOUND.withDescription(request.getName().substring(6)).asException();
      }
      return GreeterReply.newBuilder().setMessage("hello " + request.getName()).build();
    }
  }

  /** An answer as curl saw it. */
  private record Answer(int status, String contentType, String body) {}

  private static Answer post(String base, String path, String json) throws Exception {
    String out =
        Curl.run(
            "--http2-prior-knowledge",
            "-H",
            "content-type: application/json",
            "-d",
            json,
            "-w",
            "\n%{http_version} %{http_code} %{content_type}",
            base + path);
    int lastLine = out.lastIndexOf('\n');
    String[] meta = out.substring(lastLine + 1).split(" ");
    assertThat(meta[0]).isEqualTo("2");
    return new Answer(Integer.parseInt(meta[1]), meta[2], out.substring(0, lastLine));
  }

  @Test
  void unary_sameStatusTypeAndBody() throws Exception {
    Curl.assumeInstalled();
    Answer fromDubbo = post(dubboBase, PATH, "{\"name\":\"json\"}");
    Answer fromTri4j = post(tri4jBase, PATH, "{\"name\":\"json\"}");
    assertThat(fromDubbo)
        .isEqualTo(new Answer(200, "application/json", "{\"message\":\"hello json\"}"));
    assertThat(fromTri4j).isEqualTo(fromDubbo);
  }

  @Test
  void applicationError_sameHttpStatusAndJsonErrorWithItsMessage() throws Exception {
    Curl.assumeInstalled();
    Answer fromDubbo = post(dubboBase, PATH, "{\"name\":\"error:no such name\"}");
    Answer fromTri4j = post(tri4jBase, PATH, "{\"name\":\"error:no such name\"}");
    assertThat(fromTri4j.status()).isEqualTo(fromDubbo.status()).isEqualTo(404);
    assertThat(fromTri4j.contentType())
        .isEqualTo(fromDubbo.contentType())
        .isEqualTo("application/json");
    // Dubbo: {"message":"NOT_FOUND : no such name","status":"404"}; tri4j as over HTTP/1.1.
    assertThat(fromDubbo.body()).contains("\"message\":\"NOT_FOUND : no such name\"");
    assertThat(fromTri4j.body())
        .isEqualTo("{\"code\":5,\"status\":\"NOT_FOUND\",\"message\":\"no such name\"}");
  }

  @Test
  void unknownMethod_both404InJson() throws Exception {
    Curl.assumeInstalled();
    String path = "/" + PlainGreeter.class.getName() + "/nope";
    Answer fromDubbo = post(dubboBase, path, "{}");
    Answer fromTri4j = post(tri4jBase, path, "{}");
    assertThat(fromTri4j.status()).isEqualTo(fromDubbo.status()).isEqualTo(404);
    assertThat(fromTri4j.contentType()).isEqualTo(fromDubbo.contentType());
    assertThat(fromTri4j.body()).contains("\"message\":\"Method not found");
  }

  @Test
  void malformedJson_tri4jSays400WhereDubboSays500() throws Exception {
    Curl.assumeInstalled();
    Answer fromDubbo = post(dubboBase, PATH, "{\"name\":");
    Answer fromTri4j = post(tri4jBase, PATH, "{\"name\":");
    // Dubbo blames itself (500 "Error decoding json"); the fault is the client's.
    assertThat(fromDubbo.status()).isEqualTo(500);
    assertThat(fromTri4j.status()).isEqualTo(400);
    assertThat(fromTri4j.contentType()).isEqualTo(fromDubbo.contentType());
    assertThat(fromTri4j.body()).contains("INVALID_ARGUMENT").contains("GreeterRequest");
    assertThat(post(tri4jBase, PATH, "{\"name\":\"again\"}").body())
        .isEqualTo("{\"message\":\"hello again\"}");
  }
}
