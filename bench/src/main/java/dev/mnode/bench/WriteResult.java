package dev.mnode.bench;

import org.jspecify.annotations.Nullable;

/**
 * Durable writes by concurrent writers.
 *
 * @param benchmark what was written
 * @param layer the API the writers called
 * @param writers threads writing at once
 * @param writes writes that returned
 * @param seconds wall time of all writers
 * @param perSecond writes per second, all writers together
 * @param latency per-write latency as each writer saw it
 * @param stoppedByTime whether the time bound, not the count, ended the run
 * @param walSyncs how often the WAL was synced during the run, where the layer lets it be counted
 */
record WriteResult(
    String benchmark,
    String layer,
    int writers,
    long writes,
    double seconds,
    double perSecond,
    LatencyStats latency,
    boolean stoppedByTime,
    @Nullable Long walSyncs) {

  /** Returns this result with the WAL sync count {@code syncs}. */
  WriteResult withWalSyncs(long syncs) {
    return new WriteResult(
        benchmark, layer, writers, writes, seconds, perSecond, latency, stoppedByTime, syncs);
  }
}
