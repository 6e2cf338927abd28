package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  @Test
  void nearestRankPercentilesInMilliseconds() {
    long[] nanos = new long[1000];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = (nanos.length - i) * 1_000L; // 1000 us down to 1 us, unsorted
    }
    LatencyStats s = LatencyStats.of(nanos, nanos.length);
    assertEquals(1000, s.count());
    assertEquals(0.500, s.p50Ms());
    assertEquals(0.990, s.p99Ms());
    assertEquals(0.999, s.p999Ms());
    assertEquals(1.000, s.maxMs());
    assertEquals(1_000L, nanos[999], "input left unsorted");
  }

  @Test
  void usesOnlyTheCountedPrefix() {
    LatencyStats s = LatencyStats.of(new long[] {2_000_000, 4_000_000, 99_000_000}, 2);
    assertEquals(2, s.count());
    assertEquals(4.0, s.maxMs());
  }

  @Test
  void refusesNoSamples() {
    assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new long[4], 0));
  }
}
