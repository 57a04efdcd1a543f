package io.tri4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServerTls;
import io.tri4j.services.health.HealthStatusManager;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser demo in Debian's headless Chromium: the page the examples server serves at its root
 * calls Greeter with connect-web, and the test reads what the page then shows. Skipped where
 * Chromium is not installed, or where the build had no npm to bundle the page's script.
 */
@Timeout(180)
class BrowserDemoTest {
  private static final String NAME = "browser";

  @TempDir static Path dir;
  private static Path chromium;
  private static Server server;
  private static String dom;

  @BeforeAll
  static void openThePage() throws Exception {
    chromium = chromium().orElse(null);
    Assumptions.assumeTrue(
        chromium != null,
        "chromium is not installed: BrowserDemoTest skipped (apt-get install chromium to run it)");
    Assumptions.assumeTrue(
        BrowserDemoTest.class.getClassLoader().getResource(GreeterServer.WEB_ROOT + "/app.js")
            != null,
        "the page's script was not bundled (built without npm): BrowserDemoTest skipped");
    server =
        Main.newServer(
                "127.0.0.1", 0, new HealthStatusManager(), false, null, ServerOptions.defaults())
            .start();
    dom = dumpDom("http://127.0.0.1:" + server.port() + "/", "page");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Chromium on the PATH, under the names Debian and Ubuntu give it. */
  private static Optional<Path> chromium() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .flatMap(d -> Stream.of("chromium", "chromium-browser").map(n -> Path.of(d, n)))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * The page at {@code port} as Chromium shows it once its script is done: virtual time lets the
   * page run until its calls have answered (it waits while fetches are pending), with no clock.
   */
  private static String dumpDom(String url, String name, String... flags) throws Exception {
    Path out = dir.resolve(name + ".html");
    Path log = dir.resolve(name + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-proxy-server",
                "--user-data-dir=" + dir.resolve(name + "-profile"),
                "--virtual-time-budget=30000",
                "--dump-dom"));
    command.addAll(List.of(flags));
    command.add(url);
    Process chrome =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(log.toFile()) // Chromium's own complaints (no D-Bus): not ours to show
            .start();
    try {
      boolean exited = chrome.waitFor(90, TimeUnit.SECONDS);
      assertThat(exited).as("chromium exited within 90 s; its log: %s", read(log)).isTrue();
    } finally {
      chrome.descendants().forEach(ProcessHandle::destroyForcibly);
      chrome.destroyForcibly();
    }
    String page = read(out);
    assertThat(page).as("the page Chromium dumped; its log: %s", read(log)).contains("<body");
    return page;
  }

  private static String read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The HTML of the page's section for {@code protocol}. */
  private static String section(String page, String protocol) {
    Matcher m =
        Pattern.compile("<section id=\"" + protocol + "\".*?</section>", Pattern.DOTALL)
            .matcher(page);
    assertThat(m.find()).as("section %s in %s", protocol, page).isTrue();
    return m.group();
  }

  private static void assertAnswered(String section) {
    assertThat(section)
        .contains("data-state=\"ok\"")
        .contains("<dd data-slot=\"greet\">hello " + NAME + "</dd>")
        .contains(
            "<ol data-slot=\"serverStream\"><li>"
                + NAME
                + "-0</li><li>"
                + NAME
                + "-1</li><li>"
                + NAME
                + "-2</li></ol>");
  }

  @Test
  void page_callsGreeterOverGrpcWeb_andShowsTheUnaryAndStreamedReplies() {
    assertThat(dom)
        .contains("<body data-state=\"done\">")
        .contains("<span id=\"http\">http/1.1</span>");
    assertAnswered(section(dom, "grpc-web"));
  }

  @Test
  void pageOverTls_comesOverHttp2_andCallsGreeterOverGrpcWeb() throws Exception {
    char[] password = "changeit".toCharArray();
    Path keyStore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                new String(password))
            .redirectErrorStream(true)
            .start();
    String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(keytoolOutput).isZero();
    KeyStore keys = KeyStore.getInstance(keyStore.toFile(), password);
    ServerOptions tls = ServerOptions.defaults().withTls(ServerTls.fromKeyStore(keys, password));
    try (Server overTls =
        Main.newServer("127.0.0.1", 0, new HealthStatusManager(), false, null, tls).start()) {
      // The certificate is the test's own: Chromium is told not to check it, only this once.
      String page =
          dumpDom(
              "https://127.0.0.1:" + overTls.port() + "/", "tls", "--ignore-certificate-errors");

      assertThat(page).contains("<span id=\"http\">h2</span>");
      assertAnswered(section(page, "grpc-web"));
    }
  }

  @Test
  void page_finishesEveryProtocolsSection_whateverTheOtherDoes() {
    assertThat(section(dom, "connect")).containsPattern("data-state=\"(ok|failed)\"");
  }

  @Test
  void page_callsGreeterOverConnect_andShowsTheUnaryAndStreamedReplies() {
    assertAnswered(section(dom, "connect"));
  }

  @Test
  void pageWithoutItsScript_saysTheDemoWasBuiltWithoutNpm() throws Exception {
    Path classes = dir.resolve("classes");
    Path web = classes.resolve(GreeterServer.WEB_ROOT);
    Files.createDirectories(web);
    try (InputStream index =
        BrowserDemoTest.class
            .getClassLoader()
            .getResourceAsStream(GreeterServer.WEB_ROOT + "/index.html")) {
      assertThat(index).as("index.html on the class path").isNotNull();
      Files.copy(index, web.resolve("index.html"));
    }
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader onlyIndex = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
      thread.setContextClassLoader(onlyIndex);
      ServerOptions options;
      try {
        options = ServerOptions.defaults().withStaticResources(GreeterServer.WEB_ROOT);
      } finally {
        thread.setContextClassLoader(before);
      }
      try (Server bare =
          new Server(
                  options, GreeterServer.configs("127.0.0.1", 0, new HealthStatusManager(), false))
              .start()) {
        String page = dumpDom("http://127.0.0.1:" + bare.port() + "/", "no-script");

        assertThat(page)
            .contains("<body data-state=\"no-script\">")
            .contains("built without npm")
            .doesNotContain("<p id=\"notice\" hidden");
      }
    }
  }
}
