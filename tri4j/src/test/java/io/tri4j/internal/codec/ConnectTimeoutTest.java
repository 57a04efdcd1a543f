package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectTimeoutTest {

  @Test
  void decode_milliseconds_givesNanos() {
    assertThat(ConnectTimeout.decode("1500")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
    assertThat(ConnectTimeout.decode("9999999999"))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(9_999_999_999L));
  }

  @Test
  void decode_notDigitsOrTooLong_failsNamingTheHeader() {
    for (String bad : new String[] {"", "-1", "1.5", "12345678901", "1s"}) {
      assertThatThrownBy(() -> ConnectTimeout.decode(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("connect-timeout-ms");
    }
  }
}
