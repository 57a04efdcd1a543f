package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DubboHeadersTest {

  @Test
  void of_versionGroupAndApplication_areTheTriHeaders() {
    assertThat(DubboHeaders.of("1.0.0", "blue", "shop"))
        .containsExactly(
            entry("tri-service-version", "1.0.0"),
            entry("tri-service-group", "blue"),
            entry("tri-consumer-appname", "shop"));
  }

  @Test
  void of_unsetValues_leaveTheirHeadersOut() {
    assertThat(DubboHeaders.of(null, "blue", null))
        .containsExactly(entry("tri-service-group", "blue"));
    assertThat(DubboHeaders.of(null, null, null)).isEmpty();
  }

  @Test
  void of_isNotChangedByItsUsers() {
    Map<String, String> headers = DubboHeaders.of("1.0.0", null, null);
    assertThatThrownBy(() -> headers.put("tri-service-group", "red"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
