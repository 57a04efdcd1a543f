package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connect unary calls from plain curl against the examples' Greeter: the README's commands, over
 * HTTP/1.1 and HTTP/2, and refusals in Connect's error JSON.
 */
@Timeout(120)
class ConnectCurlTest {
  private static final String GREET = "/org.apache.dubbo.samples.proto.Greeter/greet";

  @RegisterExtension static final ExamplesServer SERVER = new ExamplesServer();

  @BeforeEach
  void curlInstalled() {
    Curl.assumeInstalled();
  }

  /** curl's output, then the HTTP status on a line of its own. */
  private static String connect(String... args) throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "-H";
    all[1] = "connect-protocol-version: 1";
    all[2] = "-w";
    all[3] = "\n%{http_code}";
    System.arraycopy(args, 0, all, 4, args.length);
    return Curl.run(all);
  }

  @Test
  void json_overHttp1() throws Exception {
    assertThat(connect("--json", "{\"name\":\"connect\"}", SERVER.base() + GREET))
        .isEqualTo("{\"message\":\"hello connect\"}\n200");
  }

  @Test
  void json_overHttp2() throws Exception {
    assertThat(
            connect(
                "--http2-prior-knowledge",
                "-H",
                "content-type: application/json",
                "-d",
                "{\"name\":\"h2\"}",
                SERVER.base() + GREET))
        .isEqualTo("{\"message\":\"hello h2\"}\n200");
  }

  @Test
  void malformedJson_isInvalidArgument() throws Exception {
    assertThat(connect("--json", "{\"name\":", SERVER.base() + GREET))
        .startsWith("{\"code\":\"invalid_argument\",\"message\":")
        .endsWith("\n400");
  }

  @Test
  void unknownMethod_is404Unimplemented() throws Exception {
    assertThat(
            connect("--json", "{}", SERVER.base() + "/org.apache.dubbo.samples.proto.Greeter/nope"))
        .isEqualTo(
            "{\"code\":\"unimplemented\",\"message\":"
                + "\"Method not found: org.apache.dubbo.samples.proto.Greeter/nope\"}\n404");
  }

  @Test
  void unaryContentTypeForAStream_is415() throws Exception {
    assertThat(
            connect(
                "--json",
                "{}",
                SERVER.base() + "/org.apache.dubbo.samples.proto.Greeter/serverStream"))
        .contains("\"code\":\"unimplemented\"")
        .contains("application/connect+json")
        .endsWith("\n415");
  }
}
