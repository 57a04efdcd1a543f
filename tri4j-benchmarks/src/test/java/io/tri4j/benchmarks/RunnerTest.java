package io.tri4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerTest {

  /** Every load process the runner starts takes the options it is given (they refuse others). */
  @Test
  void clientCommandLines_useOnlyOptionsTheirCommandKnows() {
    int checked = 0;
    for (Runner.Case c : Runner.CASES) {
      for (String client : Runner.CLIENTS) {
        List<String> args = Runner.clientArgs(c, client, 50061, 5, 2);
        List<String> known = Main.OPTIONS.get(args.get(0));
        assertThat(known).as("command %s", args.get(0)).isNotNull();
        for (String option : args.subList(1, args.size())) {
          int eq = option.indexOf('=');
          String name = option.substring(2, eq < 0 ? option.length() : eq);
          assertThat(known).as("%s for %s, %s", args.get(0), c.name(), client).contains(name);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(Runner.CASES.size() * Runner.CLIENTS.size());
  }
}
