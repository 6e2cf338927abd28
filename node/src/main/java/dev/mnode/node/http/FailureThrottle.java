package dev.mnode.node.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down a client that keeps presenting wrong tokens: after {@link #FREE} failures within
 * {@link #WINDOW}, each further 401 is delayed, doubling from 100 ms up to {@link #MAX_DELAY}. A
 * success does not reset the count (a guesser may hold one good token). Clients are told apart by
 * address, at most {@link #MAX_CLIENTS} remembered. Thread-safe.
 */
final class FailureThrottle {
  static final int FREE = 5;
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final Duration MAX_DELAY = Duration.ofSeconds(5);
  static final int MAX_CLIENTS = 4_096;

  private final Clock clock;

  /** Guarded by {@code this}: failures per client and when its window started. */
  private final Map<String, long[]> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
          return size() > MAX_CLIENTS;
        }
      };

  FailureThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Records a failure of {@code client} and returns how long to wait before answering it. */
  synchronized Duration failed(String client) {
    Instant now = clock.instant();
    long[] f = failures.get(client);
    if (f == null || now.toEpochMilli() - f[1] > WINDOW.toMillis()) {
      f = new long[] {0, now.toEpochMilli()};
      failures.put(client, f);
    }
    f[0]++;
    return delay(f[0]);
  }

  static Duration delay(long failures) {
    if (failures <= FREE) {
      return Duration.ZERO;
    }
    long shift = Math.min(failures - FREE - 1, 10);
    long ms = Math.min(100L << shift, MAX_DELAY.toMillis());
    return Duration.ofMillis(ms);
  }
}
