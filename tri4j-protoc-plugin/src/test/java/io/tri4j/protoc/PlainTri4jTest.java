package io.tri4j.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.protoc.plain.PingReply;
import io.tri4j.protoc.plain.PingRequest;
import io.tri4j.protoc.plain.PlainTri4j;
import org.junit.jupiter.api.Test;

/** The code generated for {@code plain.proto}, which has no proto package. */
class PlainTri4jTest {

  @Test
  void serviceName_noProtoPackage_serviceNameAlone() {
    assertThat(PlainTri4j.SERVICE_NAME).isEqualTo("Plain");
    assertThat(PlainTri4j.serviceDescriptor().getFullName()).isEqualTo("Plain");
  }

  @Test
  void ping_overInMemoryServer_answered() {
    PlainTri4j.Plain echo =
        new PlainTri4j.Plain() {
          @Override
          public PingReply ping(PingRequest request) {
            return PingReply.newBuilder().setText(request.getText()).build();
          }
        };
    ServiceConfig config =
        new ServiceConfig(PlainTri4j.serviceHandler(echo)).withInMemoryName("plain");
    try (Server server = new Server(config).start();
        Client client = new Client(ReferenceConfig.forInMemory("plain", PlainTri4j.SERVICE_NAME))) {
      PlainTri4j.PlainStub stub = new PlainTri4j.PlainStub(client);

      assertThat(stub.ping(PingRequest.newBuilder().setText("hi").build()).getText())
          .isEqualTo("hi");
      assertThat(server.addresses()).as("no socket").isEmpty();
    }
  }
}
