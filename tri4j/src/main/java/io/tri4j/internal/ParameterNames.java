package io.tri4j.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The error for a URL parameter nobody reads, with the name it most likely misspells: a misspelled
 * parameter that is silently ignored (a {@code ?timout=100} whose deadline never applies) costs a
 * user far more than an error at startup.
 */
public final class ParameterNames {
  private ParameterNames() {}

  /**
   * The error for parameter {@code name}, found {@code where} (such as "in URL 'tri://…'"), which
   * is none of {@code known}.
   */
  public static IllegalArgumentException unknown(
      String name, String where, Collection<String> known) {
    String closest = closest(name, known);
    return new IllegalArgumentException(
        "Unknown parameter '"
            + name
            + "' "
            + where
            + (closest == null ? "." : "; did you mean '" + closest + "'?")
            + " Known parameters: "
            + String.join(", ", new TreeSet<>(known))
            + ".");
  }

  /**
   * The known name {@code name} most likely misspells: the nearest within two edits (ignoring
   * case), if only one is that near; otherwise null.
   */
  static String closest(String name, Collection<String> known) {
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = 3;
    boolean tie = false;
    for (String candidate : known) {
      int d = editDistance(lower, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
        tie = false;
      } else if (d == bestDistance) {
        tie = true;
      }
    }
    return tie ? null : best;
  }

  /** Levenshtein distance. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
