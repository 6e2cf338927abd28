package dev.mnode.bench;

import java.util.Arrays;

/**
 * Percentiles of per-operation latencies (nearest rank), in milliseconds.
 *
 * @param count operations measured
 * @param p50Ms median
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs slowest
 */
record LatencyStats(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

  /** Summarises the first {@code count} entries of {@code nanos}, which it does not change. */
  static LatencyStats of(long[] nanos, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("no latencies to summarise");
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    return new LatencyStats(
        count,
        ms(percentile(sorted, 0.50)),
        ms(percentile(sorted, 0.99)),
        ms(percentile(sorted, 0.999)),
        ms(sorted[count - 1]));
  }

  /** The nearest-rank percentile {@code p} (0 < p <= 1) of ascending {@code sorted}. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
