package io.tri4j.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's options, {@code --name value} or {@code --name=value}, each from the command's
 * list: a misspelt option is an error rather than a default silently taken (a server started on the
 * wrong port).
 */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  /**
   * Reads {@code args} from {@code from} on.
   *
   * @throws IllegalArgumentException naming an option not in {@code names}, or one without a value
   */
  Options(String[] args, int from, List<String> names) {
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      if (!names.contains(name)) {
        throw new IllegalArgumentException(
            "Unknown option '" + arg + "'" + (names.isEmpty() ? "" : "; options: " + names));
      }
      if (eq > 0) {
        values.put(name, arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        values.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException(name + " needs a value");
      }
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int port(String name, String fallback) {
    String value = get(name, fallback);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a port number, not '" + value + "'");
    }
  }

  /**
   * An {@code on}/{@code off} option ({@code true}/{@code false} too).
   *
   * @throws IllegalArgumentException for any other value
   */
  boolean onOff(String name, boolean fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    return switch (value) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException(name + " is on or off, not '" + value + "'");
    };
  }

  /** Whether {@code args} asks for help ({@code --help} or {@code -h}) anywhere. */
  static boolean wantsHelp(String[] args) {
    return List.of(args).contains("--help") || List.of(args).contains("-h");
  }
}
