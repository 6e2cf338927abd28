package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The failure throttle and the rate limiter, on a clock the test moves. */
class ThrottlesTest {
  private Instant now = Instant.parse("2026-11-26T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  @Test
  void failures_areFreeAtFirst_thenDelayedMoreAndMore_upToACap_perClient() {
    FailureThrottle t = new FailureThrottle(clock);
    for (int i = 0; i < FailureThrottle.FREE; i++) {
      assertEquals(Duration.ZERO, t.failed("127.0.0.1"));
    }
    assertEquals(Duration.ofMillis(100), t.failed("127.0.0.1"));
    assertEquals(Duration.ofMillis(200), t.failed("127.0.0.1"));
    assertEquals(Duration.ofMillis(400), t.failed("127.0.0.1"));
    for (int i = 0; i < 20; i++) {
      t.failed("127.0.0.1");
    }
    assertEquals(FailureThrottle.MAX_DELAY, t.failed("127.0.0.1"));
    assertEquals(Duration.ZERO, t.failed("::1"), "another client has its own count");
    now = now.plus(FailureThrottle.WINDOW).plusSeconds(1);
    assertEquals(Duration.ZERO, t.failed("127.0.0.1"), "the count starts again after the window");
  }

  @Test
  void rateLimiter_allowsABurst_thenTheRate_andSaysHowLongToWait() {
    RateLimiter r = new RateLimiter(clock, 60, 2);
    assertTrue(r.take("a").isEmpty());
    assertTrue(r.take("a").isEmpty());
    OptionalLong wait = r.take("a");
    assertEquals(OptionalLong.of(1), wait);
    assertTrue(r.take("b").isEmpty(), "each caller has its own bucket");
    now = now.plusSeconds(1);
    assertTrue(r.take("a").isEmpty());
    assertTrue(r.take("a").isPresent());
  }
}
