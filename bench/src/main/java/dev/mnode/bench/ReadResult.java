package dev.mnode.bench;

import org.jspecify.annotations.Nullable;

/**
 * Reads on one thread: random point reads after a warm-up, or one full listing.
 *
 * @param benchmark what was read
 * @param layer the API called
 * @param population memories in the store
 * @param reads measured reads
 * @param seconds wall time of the measured reads
 * @param perSecond reads per second
 * @param latency per-read latency; null for the full listing, which is one call
 * @param stoppedByTime whether the time bound, not the count, ended the run
 */
record ReadResult(
    String benchmark,
    String layer,
    long population,
    long reads,
    double seconds,
    double perSecond,
    @Nullable LatencyStats latency,
    boolean stoppedByTime) {}
