package io.tri4j.interop;

import static io.tri4j.examples.GreeterClient.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Client;
import io.tri4j.ClientTls;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServerTls;
import io.tri4j.ServiceConfig;
import io.tri4j.examples.GreeterClient;
import io.tri4j.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.Greeter;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Apache Dubbo 3.3 and tri4j over TLS, both ways, with certificates made for the run: the same call
 * styles as the cleartext tests, on ports that take TLS only.
 */
@Timeout(60)
class DubboTlsTest {
  static final TestPki ca = TestPki.shared();
  static final TestPki.Issued serverCert = ca.issue("server", "127.0.0.1", "localhost");
  static final TestPki.Issued dubboConsumerCert = ca.issue("dubbo-consumer");

  @AfterAll
  static void stop() {
    FrameworkModel.destroyAll();
    DubboPeers.forgetDubboTlsProviderLeaks();
  }

  @Test
  void dubboConsumer_tri4jServerWithMutualTls_allFourStyles() throws Exception {
    try (Server server =
            new Server(
                    ServerOptions.defaults()
                        .withTls(
                            ServerTls.fromPem(serverCert.certificateFile(), serverCert.keyFile())
                                .withClientAuth(
                                    ServerTls.ClientAuth.REQUIRE, ca.certificateFile())),
                    new ServiceConfig(DubboConsumerToTriServerTest.greeter(""))
                        .withHost("127.0.0.1")
                        .withPort(0))
                .start();
        DubboPeers.Running consumer =
            DubboPeers.consumer(
                server.port(),
                null,
                null,
                5000,
                DubboPeers.clientSsl(dubboConsumerCert, ca.certificateFile()))) {
      Greeter greeter = consumer.greeter();
      assertThat(greeter.greet(request("dubbo")).getMessage()).isEqualTo("hello dubbo");

      DubboPeers.assertStreamingStyles(greeter);
    }
  }

  @Test
  void tri4jClient_dubboProviderOverTls_allFourStyles() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (DubboPeers.Running provider =
            DubboPeers.tlsProvider(port, DubboPeers.serverSsl(serverCert), (String) null);
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + port + "/" + GreeterTri4j.SERVICE_NAME)
                    .withTls(ClientTls.defaults().withTrustedCertificates(ca.certificateFile())))) {
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int failures =
          new GreeterClient(client, new PrintStream(output, true, StandardCharsets.UTF_8)).runAll();

      assertThat(failures).as(output.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(provider.bootstrap()).isNotNull();
    }
  }
}
