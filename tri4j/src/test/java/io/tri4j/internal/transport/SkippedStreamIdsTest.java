package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.Http2Exception;
import org.junit.jupiter.api.Test;

/** Which client stream ids a server connection takes as skipped, never opened. */
class SkippedStreamIdsTest {
  private final SkippedStreamIds connection = new SkippedStreamIds();

  private void open(int id) throws Http2Exception {
    connection.remote().createStream(id, true);
  }

  @Test
  void idsOpened_mayHaveExisted_idsSkipped_didNot() throws Exception {
    open(1);
    open(7);
    open(9);
    assertThat(connection.streamMayHaveExisted(1)).isTrue();
    assertThat(connection.streamMayHaveExisted(3)).isFalse();
    assertThat(connection.streamMayHaveExisted(5)).isFalse();
    assertThat(connection.streamMayHaveExisted(7)).isTrue();
    assertThat(connection.streamMayHaveExisted(11)).as("not opened yet").isFalse();
  }

  @Test
  void idsRefused_mayHaveExisted_thoughNettyNeverMadeTheirStreams() throws Exception {
    connection.remote().maxActiveStreams(1);
    open(1);
    assertThatThrownBy(() -> open(3)).isInstanceOf(Http2Exception.class);
    connection.used(3); // as the server's handler tells it
    assertThat(connection.streamMayHaveExisted(3)).isTrue();
    assertThat(connection.streamMayHaveExisted(5)).isFalse();
  }

  @Test
  void theFirstIdsSkipped_didNotExist() throws Exception {
    open(5);
    assertThat(connection.streamMayHaveExisted(1)).isFalse();
    assertThat(connection.streamMayHaveExisted(3)).isFalse();
  }

  @Test
  void rangesBeyondTheLastKept_areTakenAsNettyTakesThem() throws Exception {
    int id = 1;
    for (int i = 0; i <= SkippedStreamIds.KEPT; i++) {
      id += 4; // skips one id each time
      open(id);
    }
    assertThat(connection.streamMayHaveExisted(3)).as("forgotten").isTrue();
    assertThat(connection.streamMayHaveExisted(id - 2)).as("kept").isFalse();
  }
}
