package dev.mnode.node.http;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A token bucket per caller: {@code burst} calls at once, refilled at {@code perMinute}. Time comes
 * from the injected clock. Thread-safe.
 */
final class RateLimiter {
  private final Clock clock;
  private final double perMilli;
  private final double burst;

  /** Guarded by {@code this}: per caller, {tokens, last refill millis}. */
  private final Map<String, double[]> buckets = new HashMap<>();

  RateLimiter(Clock clock, int perMinute, int burst) {
    this.clock = clock;
    this.perMilli = perMinute / 60_000.0;
    this.burst = burst;
  }

  /** Takes one call for {@code caller}; empty when allowed, else the seconds to wait (at least 1). */
  synchronized OptionalLong take(String caller) {
    long now = clock.millis();
    double[] b = buckets.computeIfAbsent(caller, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - (long) b[1]) * perMilli);
    b[1] = now;
    if (b[0] >= 1) {
      b[0] -= 1;
      return OptionalLong.empty();
    }
    long waitMs = (long) Math.ceil((1 - b[0]) / perMilli);
    return OptionalLong.of(Math.max(1, (waitMs + 999) / 1000));
  }
}
