package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SocketTransportTest {
  private static final Throwable MISSING = new UnsatisfiedLinkError("no native library");

  /** Availability as a test states it: the transports named run, the others do not. */
  private static Function<SocketTransport, Throwable> running(SocketTransport... transports) {
    Set<SocketTransport> set = Set.of(transports);
    return t -> set.contains(t) ? null : MISSING;
  }

  @Test
  void choose_autoWithoutNatives_fallsBackToNio() {
    assertThat(SocketTransport.choose(null, running(SocketTransport.NIO)))
        .isEqualTo(SocketTransport.NIO);
    assertThat(SocketTransport.choose("auto", running(SocketTransport.NIO)))
        .isEqualTo(SocketTransport.NIO);
  }

  @Test
  void choose_autoWithBothNatives_takesEpoll() {
    assertThat(SocketTransport.choose("", running(SocketTransport.values())))
        .isEqualTo(SocketTransport.EPOLL);
    assertThat(
            SocketTransport.choose(" AUTO ", running(SocketTransport.NIO, SocketTransport.EPOLL)))
        .isEqualTo(SocketTransport.EPOLL);
  }

  @Test
  void choose_ioUringNamed_ioUringWhereTheKernelAllows() {
    assertThat(SocketTransport.choose("io_uring", running(SocketTransport.values())))
        .isEqualTo(SocketTransport.IO_URING);
  }

  @Test
  void choose_nioNamed_nioEvenWhereNativesRun() {
    assertThat(SocketTransport.choose("nio", running(SocketTransport.values())))
        .isEqualTo(SocketTransport.NIO);
  }

  @Test
  void choose_unavailableTransportNamed_failsSayingHowToGetIt() {
    assertThatThrownBy(() -> SocketTransport.choose("epoll", running(SocketTransport.NIO)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tri4j.transport=epoll")
        .hasMessageContaining("no native library")
        .hasMessageContaining("io.netty:netty-transport-native-epoll")
        .hasMessageContaining("tri4j.transport=nio")
        .hasCause(MISSING);
  }

  @Test
  void choose_unknownName_failsNamingTheChoices() {
    assertThatThrownBy(() -> SocketTransport.choose("kqueue", running(SocketTransport.values())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tri4j.transport must be auto, nio, epoll or io_uring, not 'kqueue'");
  }

  @Test
  void nio_alwaysAvailable() {
    assertThat(SocketTransport.NIO.isAvailable()).isTrue();
  }

  @Test
  void epoll_onLinuxWithTheNativeJars_available() {
    assumeTrue(
        System.getProperty("os.name").equals("Linux")
            && Set.of("amd64", "aarch64").contains(System.getProperty("os.arch")));
    // The build puts the natives of both architectures on the test class path.
    assertThat(SocketTransport.EPOLL.unavailabilityCause()).isNull();
  }
}
