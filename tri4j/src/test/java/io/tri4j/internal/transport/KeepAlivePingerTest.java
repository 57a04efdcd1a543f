package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.internal.call.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KeepAlivePinger} on a fake clock: when it pings, and when it gives the peer up. */
class KeepAlivePingerTest {
  private static final long TIME = Duration.ofSeconds(10).toNanos();
  private static final long TIMEOUT = Duration.ofSeconds(2).toNanos();

  private final FakeClock clock = new FakeClock();
  private final Peer peer = new Peer();

  private static final class Peer implements KeepAlivePinger.Connection {
    boolean calls = true;
    final List<Long> pings = new ArrayList<>();
    int timeouts;

    @Override
    public boolean hasCalls() {
      return calls;
    }

    @Override
    public void sendPing(long data) {
      pings.add(data);
    }

    @Override
    public void keepAliveTimedOut() {
      timeouts++;
    }
  }

  private KeepAlivePinger started(boolean withoutCalls) {
    KeepAlivePinger pinger = new KeepAlivePinger(clock, peer, TIME, TIMEOUT, withoutCalls);
    pinger.start();
    return pinger;
  }

  @Test
  void quietConnection_pingsAfterKeepAliveTime() {
    started(false);
    clock.advance(Duration.ofSeconds(9));
    assertThat(peer.pings).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(peer.pings).containsExactly(KeepAlivePinger.PING_DATA);
  }

  @Test
  void reads_postponeThePing_toKeepAliveTimeAfterTheLastRead() {
    KeepAlivePinger pinger = started(false);
    clock.advance(Duration.ofSeconds(6));
    pinger.onDataReceived();
    clock.advance(Duration.ofSeconds(4)); // the first check: quiet for 4 s only
    assertThat(peer.pings).isEmpty();
    clock.advance(Duration.ofSeconds(6));
    assertThat(peer.pings).hasSize(1);
  }

  @Test
  void unansweredPing_timesOutAfterKeepAliveTimeout() {
    started(false);
    clock.advance(Duration.ofSeconds(10));
    clock.advance(Duration.ofMillis(1999));
    assertThat(peer.timeouts).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(peer.timeouts).isOne();
    clock.advance(Duration.ofSeconds(60));
    assertThat(peer.pings).as("no pings after the timeout").hasSize(1);
  }

  @Test
  void answer_cancelsTheTimeout_andTheNextPingFollowsAfterKeepAliveTime() {
    KeepAlivePinger pinger = started(false);
    clock.advance(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(1));
    pinger.onDataReceived(); // the ACK
    clock.advance(Duration.ofSeconds(5));
    assertThat(peer.timeouts).isZero();
    assertThat(clock.pendingTimers()).isOne();
    clock.advance(Duration.ofSeconds(5));
    assertThat(peer.pings).hasSize(2);
  }

  @Test
  void noCalls_noPings_unlessWithoutCalls() {
    peer.calls = false;
    started(false);
    clock.advance(Duration.ofSeconds(35));
    assertThat(peer.pings).isEmpty();
    peer.calls = true;
    clock.advance(Duration.ofSeconds(10));
    assertThat(peer.pings).hasSize(1);
  }

  @Test
  void withoutCalls_pingsAnIdleConnection() {
    peer.calls = false;
    started(true);
    clock.advance(Duration.ofSeconds(10));
    assertThat(peer.pings).hasSize(1);
  }

  @Test
  void stop_cancelsTheTimer() {
    KeepAlivePinger pinger = started(false);
    pinger.stop();
    assertThat(clock.pendingTimers()).isZero();
    clock.advance(Duration.ofSeconds(60));
    assertThat(peer.pings).isEmpty();
  }
}
