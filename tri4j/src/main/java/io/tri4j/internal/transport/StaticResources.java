package io.tri4j.internal.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files from the class path, answered to {@code GET} and {@code HEAD} beside the calls on the same
 * port: a browser client's page and script. A request is taken when the last segment of its path
 * names a file (it has an extension) or is empty (the folder's {@code index.html}); any other path,
 * which includes every method path ({@code /package.Service/method}), goes on to the calls.
 *
 * <p>The path is percent-decoded once, and then every segment must be ASCII letters, digits, '-',
 * '_' and '.', and must not start with '.': "..", hidden files, encoded separators and backslashes
 * never reach the class loader, and the answer to them is the same 404 as for a missing file. Only
 * regular files are served, never a folder's listing.
 *
 * <p>A file is read on its first request (on the network thread) and then kept with its ETag, up to
 * 256 files. Answers say {@code no-cache}, so that a browser asks again each time and gets a 304
 * while the file is unchanged.
 */
public final class StaticResources {
  private static final Map<String, String> CONTENT_TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("woff2", "font/woff2"));

  private static final String OCTET_STREAM = "application/octet-stream";

  /**
   * The most files kept: on a file system that ignores case, every spelling of a name finds the
   * file, and they must not fill the memory.
   */
  private static final int MAX_KEPT = 256;

  private static final AsciiString GET = AsciiString.cached("GET");
  private static final AsciiString HEAD = AsciiString.cached("HEAD");

  /** A file read, with what its answers say about it. */
  record StaticFile(byte[] content, String contentType, String etag) {}

  private final ClassLoader loader;
  private final String prefix; // "" or ends with '/'
  private final Map<String, StaticFile> files = new ConcurrentHashMap<>();

  private StaticResources(ClassLoader loader, String prefix) {
    this.loader = loader;
    this.prefix = prefix;
  }

  /**
   * The files {@code loader} finds under {@code classpathPrefix} (a folder of the class path, as in
   * {@code "com/example/web"}; empty for its root, which is seldom wise).
   *
   * @throws IllegalArgumentException if the prefix has a segment that is empty, "." or ".."
   */
  public static StaticResources of(ClassLoader loader, String classpathPrefix) {
    Objects.requireNonNull(loader, "loader");
    String trimmed = Objects.requireNonNull(classpathPrefix, "classpathPrefix");
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (!trimmed.isEmpty()) {
      for (String segment : trimmed.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw new IllegalArgumentException(
              "Class path prefix '" + classpathPrefix + "' must be a plain folder name");
        }
      }
    }
    return new StaticResources(loader, trimmed.isEmpty() ? "" : trimmed + "/");
  }

  /** The class path folder the files come from, without a trailing '/'. */
  public String prefix() {
    return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
  }

  /** The answer to an HTTP/1.1 request, or null if it is not a file's and goes on to the calls. */
  StaticResponse answer(HttpRequest request) {
    HttpMethod method = request.method();
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      return null;
    }
    return answer(
        HttpMethod.HEAD.equals(method),
        request.uri(),
        request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
  }

  /** The answer to an HTTP/2 request, or null if it is not a file's and goes on to the calls. */
  StaticResponse answer(Http2Headers headers) {
    CharSequence method = headers.method(); // checked first: a call's costs no more than this
    boolean head = AsciiString.contentEquals(method, HEAD);
    if (!head && !AsciiString.contentEquals(method, GET)) {
      return null;
    }
    CharSequence path = headers.path();
    return path == null
        ? null
        : answer(head, path.toString(), headers.get(HttpHeaderNames.IF_NONE_MATCH));
  }

  /** The answer to a GET (or HEAD) of {@code uri}, its path and query, or null as above. */
  private StaticResponse answer(boolean head, String uri, CharSequence ifNoneMatch) {
    String path;
    try {
      path = new QueryStringDecoder(uri).path();
    } catch (IllegalArgumentException badEscape) {
      return StaticResponse.notFound(head);
    }
    int lastSlash = path.lastIndexOf('/');
    String last = path.substring(lastSlash + 1);
    if (!last.isEmpty() && last.indexOf('.') < 0) {
      return null;
    }
    String name = fileName(path);
    StaticFile file = name == null ? null : files.get(name);
    if (file == null && name != null) {
      file = read(name);
      if (file != null && files.size() < MAX_KEPT) {
        files.putIfAbsent(name, file);
      }
    }
    if (file == null) {
      return StaticResponse.notFound(head);
    }
    if (ifNoneMatch != null && matches(ifNoneMatch.toString(), file.etag())) {
      return StaticResponse.notModified(file);
    }
    return StaticResponse.ok(file, head);
  }

  /** The file's name under the prefix, or null if the path has a segment not allowed. */
  private static String fileName(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    String name = path.endsWith("/") ? path.substring(1) + "index.html" : path.substring(1);
    for (String segment : name.split("/", -1)) {
      if (!allowed(segment)) {
        return null;
      }
    }
    return name;
  }

  private static boolean allowed(String segment) {
    if (segment.isEmpty() || segment.charAt(0) == '.') {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether an {@code If-None-Match} list names {@code etag} (weakly, as RFC 9110 says). */
  private static boolean matches(String ifNoneMatch, String etag) {
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** Reads a regular file, or returns null if there is none by that name. */
  private StaticFile read(String name) {
    URL url = loader.getResource(prefix + name);
    if (url == null) {
      return null;
    }
    try {
      URLConnection connection = url.openConnection();
      if (connection instanceof JarURLConnection jar) {
        jar.setUseCaches(false); // the stream closes its own jar file
        if (jar.getJarEntry() == null || jar.getJarEntry().isDirectory()) {
          return null;
        }
      } else if (url.getProtocol().equals("file") && !Files.isRegularFile(Path.of(url.toURI()))) {
        return null;
      }
      byte[] content;
      try (InputStream in = connection.getInputStream()) {
        content = in.readAllBytes();
      }
      return new StaticFile(content, contentType(name), etag(content));
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      return null; // unreadable: answered as missing, and tried again next time
    }
  }

  private static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return CONTENT_TYPES.getOrDefault(extension, OCTET_STREAM);
  }

  private static String etag(byte[] content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      StringBuilder tag = new StringBuilder("\"");
      for (int i = 0; i < 12; i++) {
        tag.append(Character.forDigit((digest[i] >> 4) & 15, 16))
            .append(Character.forDigit(digest[i] & 15, 16));
      }
      return tag.append('"').toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("Every JDK has SHA-256", e);
    }
  }
}
