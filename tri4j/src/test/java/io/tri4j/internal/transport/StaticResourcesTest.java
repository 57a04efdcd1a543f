package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.testing.Closer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files served beside the calls, over real sockets: HTTP/1.1 and HTTP/2, from a jar and from a
 * folder, and never from outside the prefix.
 */
@Timeout(60)
class StaticResourcesTest {
  private static final String INDEX = "<!doctype html><title>t</title><p>index</p>\n";
  private static final String SECRET = "outside the prefix\n";

  @RegisterExtension final Closer closer = new Closer();
  @TempDir Path dir;

  /** Larger than HTTP/2's initial window: its DATA waits for the client's WINDOW_UPDATEs. */
  private final String bigScript = "// " + "x".repeat(200_000) + "\nconsole.log(1);\n";

  private Path jar;
  private Path folder;

  @BeforeEach
  void writeFiles() throws IOException {
    jar = dir.resolve("web.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      putDir(out, "site/");
      put(out, "site/index.html", INDEX);
      put(out, "site/app.js", bigScript);
      putDir(out, "site/dir.d/");
      put(out, "site/dir.d/inner.txt", "inner\n");
      putDir(out, "site/sub/");
      put(out, "site/sub/style.css", "p{}\n");
      put(out, "site/.hidden.txt", "hidden\n");
      put(out, "secret.txt", SECRET);
    }
    folder = dir.resolve("classes");
    Files.createDirectories(folder.resolve("site/dir.d"));
    Files.writeString(folder.resolve("site/index.html"), INDEX);
    Files.writeString(folder.resolve("site/dir.d/inner.txt"), "inner\n");
    Files.writeString(folder.resolve("secret.txt"), SECRET);
  }

  private static void putDir(JarOutputStream out, String name) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.closeEntry();
  }

  private static void put(JarOutputStream out, String name, String content) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(content.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }

  /** A server of no services but the files of {@code site/} that {@code classPath} holds. */
  private Server server(Path classPath) throws IOException {
    URLClassLoader loader =
        closer.add(new URLClassLoader(new URL[] {classPath.toUri().toURL()}, null));
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    ServerOptions options;
    thread.setContextClassLoader(loader);
    try {
      options = ServerOptions.defaults().withStaticResources("site");
    } finally {
      thread.setContextClassLoader(before);
    }
    return closer.add(
        new Server(
                options,
                new ServiceConfig(GrpcWebService.create()).withHost("127.0.0.1").withPort(0))
            .start());
  }

  /** One HTTP/1.1 response: status, headers (lower-case names) and body. */
  private record Response(int status, Map<String, String> headers, String body) {}

  private Response http1(Server server, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(socket.getInputStream(), request.startsWith("HEAD "));
    }
  }

  private Response get(Server server, String path) throws IOException {
    return http1(server, "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
  }

  private static Response read(InputStream in, boolean head) throws IOException {
    String statusLine = readLine(in);
    Map<String, String> headers = new TreeMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    int length = head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed in a line: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void getRoot_http1_answersIndexHtmlWithTypeEtagAndNoCache() throws IOException {
    Response response = get(server(jar), "/");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(INDEX);
    assertThat(response.headers())
        .containsEntry("content-type", "text/html; charset=utf-8")
        .containsEntry("cache-control", "no-cache")
        .containsEntry("x-content-type-options", "nosniff")
        .containsKey("etag");
  }

  @Test
  void getFileInFolder_http1_answersItsContentType() throws IOException {
    Server server = server(jar);

    Response script = get(server, "/app.js?v=1");
    Response style = get(server, "/sub/style.css");

    assertThat(script.status()).isEqualTo(200);
    assertThat(script.body()).isEqualTo(bigScript);
    assertThat(script.headers()).containsEntry("content-type", "text/javascript; charset=utf-8");
    assertThat(style.body()).isEqualTo("p{}\n");
    assertThat(style.headers()).containsEntry("content-type", "text/css; charset=utf-8");
  }

  @Test
  void head_http1_answersTheHeadersOfGetWithoutBody() throws IOException {
    Server server = server(jar);
    try (Socket socket = closer.add(new Socket("127.0.0.1", server.port()))) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      // HEAD then GET on one connection: a body after the HEAD's headers would spoil the GET.
      out.write(
          ("HEAD /index.html HTTP/1.1\r\nHost: test\r\n\r\n"
                  + "GET /sub/style.css HTTP/1.1\r\nHost: test\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Response head = read(socket.getInputStream(), true);
      Response next = read(socket.getInputStream(), false);

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers())
          .containsEntry("content-length", Integer.toString(INDEX.length()))
          .containsEntry("content-type", "text/html; charset=utf-8");
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("p{}\n");
    }
  }

  @Test
  void ifNoneMatch_sameEtag_answers304WithoutBody() throws IOException {
    Server server = server(jar);
    String etag = get(server, "/").headers().get("etag");

    Response again =
        http1(server, "GET / HTTP/1.1\r\nHost: test\r\nIf-None-Match: " + etag + "\r\n\r\n");
    Response other =
        http1(server, "GET / HTTP/1.1\r\nHost: test\r\nIf-None-Match: \"other\"\r\n\r\n");

    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers()).containsEntry("etag", etag);
    assertThat(other.status()).isEqualTo(200);
  }

  @Test
  void missingFile_http1_answers404() throws IOException {
    Response response = get(server(jar), "/missing.js");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("No such file\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "//secret.txt",
        "/./../secret.txt",
        "/.hidden.txt",
        "/dir.d",
        "/dir.d/",
        "/sub/",
        "/%zz.txt",
        "/%00.txt"
      })
  void pathLeavingThePrefixOrNamingNoFile_answers404InJarAndFolder(String path) throws IOException {
    for (Path classPath : new Path[] {jar, folder}) {
      Response response = get(server(classPath), path);

      assertThat(response.status()).as("%s from %s", path, classPath).isEqualTo(404);
      assertThat(response.body()).isNotEqualTo(SECRET).doesNotContain("inner");
    }
  }

  @Test
  void encodedTraversalWithoutExtension_goesToTheCallsAndServesNoFile() throws IOException {
    Response response = get(server(jar), "/%2e%2e/%2e%2e/secret");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.body()).doesNotContain(SECRET);
  }

  @Test
  void getMethodPath_goesToTheCalls() throws IOException {
    Response response = get(server(jar), "/" + "web.Test/echo");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers()).containsEntry("content-type", "application/json");
  }

  @Test
  void otherHttpMethod_onFile_isNotServed() throws IOException {
    Response response =
        http1(
            server(jar), "DELETE /index.html HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.body()).doesNotContain(INDEX);
  }

  @Test
  void withoutStaticResources_getRoot_isRefusedAsBefore() throws IOException {
    Server server =
        closer.add(
            new Server(new ServiceConfig(GrpcWebService.create()).withHost("127.0.0.1").withPort(0))
                .start());

    assertThat(get(server, "/").status()).isEqualTo(405);
  }

  private static Http2Headers request(String method, String path) {
    return new DefaultHttp2Headers().method(method).scheme("http").path(path).authority("test");
  }

  /** The body of the response whose HEADERS {@code peer} has just read, up to END_STREAM. */
  private static String http2Body(RawHttp2Peer peer, RawHttp2Peer.Frame headers)
      throws InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (RawHttp2Peer.Frame frame = headers; !frame.endStream(); ) {
      frame = peer.next();
      assertThat(frame.data()).as("DATA after the HEADERS").isNotNull();
      body.writeBytes(frame.data());
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  @Test
  void get_http2_answersFilesLargerThanTheWindow() throws Exception {
    Server server = server(jar);
    try (RawHttp2Peer peer = RawHttp2Peer.client(server.port())) {
      peer.request(request("GET", "/app.js"), null, true);
      RawHttp2Peer.Frame headers = peer.next();

      assertThat(headers.headers().status()).hasToString("200");
      assertThat(headers.headers().get("content-type"))
          .hasToString("text/javascript; charset=utf-8");
      assertThat(headers.headers().get("cache-control")).hasToString("no-cache");
      assertThat(http2Body(peer, headers)).isEqualTo(bigScript);
    }
  }

  @Test
  void headAndMissing_http2_answerHeadersOnlyAnd404() throws Exception {
    Server server = server(jar);
    try (RawHttp2Peer peer = RawHttp2Peer.client(server.port())) {
      peer.request(request("HEAD", "/"), null, true);
      RawHttp2Peer.Frame head = peer.next();
      peer.request(request("GET", "/%2e%2e/secret.txt"), null, true);
      RawHttp2Peer.Frame missing = peer.next();

      assertThat(head.headers().status()).hasToString("200");
      assertThat(head.headers().getInt("content-length")).isEqualTo(INDEX.length());
      assertThat(head.endStream()).isTrue();
      assertThat(missing.headers().status()).hasToString("404");
      assertThat(http2Body(peer, missing)).isEqualTo("No such file\n");
    }
  }
}
