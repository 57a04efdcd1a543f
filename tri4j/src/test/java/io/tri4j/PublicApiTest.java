package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the public API of the library (packages {@code io.tri4j} and {@code io.tri4j.registry};
 * {@code io.tri4j.internal} is not API) equal to the checked-in {@code tri4j/api/tri4j.api}, so
 * that every API change is deliberate and shows in review. After a deliberate change, rewrite the
 * file with
 *
 * <pre>
 * ./mvnw -pl tri4j test -Dtest=PublicApiTest -Dtri4j.updateApi=true
 * </pre>
 *
 * and commit it with the change.
 */
class PublicApiTest {
  static final List<String> PACKAGES = List.of("io.tri4j", "io.tri4j.registry");
  static final String UPDATE_PROPERTY = "tri4j.updateApi";
  static final String UPDATE_COMMAND =
      "./mvnw -pl tri4j test -Dtest=PublicApiTest -D" + UPDATE_PROPERTY + "=true";

  @Test
  void publicApi_matchesCheckedInApiFile() throws IOException, URISyntaxException {
    Path classes =
        Path.of(Client.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(classes).as("the main classes directory").isDirectory();
    String actual = ApiDump.dump(classes, Client.class.getClassLoader(), PACKAGES);
    assertThat(actual).as("the API dump").contains("public final class io.tri4j.Client ");

    Path moduleDir = moduleDir(classes);
    Path apiFile = moduleDir.resolve("api").resolve("tri4j.api");
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(apiFile.getParent());
      Files.writeString(apiFile, actual, StandardCharsets.UTF_8);
      System.out.println("PublicApiTest: wrote " + apiFile);
      return;
    }
    if (!Files.exists(apiFile)) {
      fail("No API file " + apiFile + ": create it with\n  " + UPDATE_COMMAND);
    }
    String expected = Files.readString(apiFile, StandardCharsets.UTF_8).replace("\r\n", "\n");
    if (!expected.equals(actual)) {
      String diff = ApiDump.diff(expected, actual, 3);
      fail(
          "The public API differs from "
              + moduleDir.getParent().relativize(apiFile)
              + " (- only in the file, + only in the compiled classes):\n\n"
              + (diff.isEmpty() ? "(only in the trailing newline)\n" : diff)
              + "\nIf the change is deliberate, rewrite the file and commit it with the change:\n  "
              + UPDATE_COMMAND
              + "\n");
    }
  }

  /** The module directory: the classes are in {@code target/classes} under it. */
  private static Path moduleDir(Path classes) {
    Path target = classes.toAbsolutePath().getParent();
    if (target != null
        && target.getFileName().toString().equals("target")
        && Files.exists(target.getParent().resolve("pom.xml"))) {
      return target.getParent();
    }
    // The forked test JVM runs in the module directory.
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }
}
