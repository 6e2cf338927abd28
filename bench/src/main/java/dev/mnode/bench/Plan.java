package dev.mnode.bench;

import java.time.Duration;

/**
 * How much each benchmark does. Every benchmark is bounded both in count and in time.
 *
 * @param name "full" or "quick"
 * @param memories memories imported, and the store size reads and cold start run against
 * @param maxWrites durable writes per write benchmark
 * @param maxWriteSeconds time bound of each write benchmark
 * @param getWarmup gets run and discarded before the measured ones
 * @param gets measured gets
 * @param maxGetSeconds time bound of each read benchmark, warm-up included
 * @param processRuns counted runs of each spawned command, after one warm-up
 * @param processTimeoutSeconds time bound of one spawned command
 */
record Plan(
    String name,
    int memories,
    int maxWrites,
    int maxWriteSeconds,
    int getWarmup,
    int gets,
    int maxGetSeconds,
    int processRuns,
    int processTimeoutSeconds) {

  /** The full run that docs/benchmarks.md reports. */
  static Plan full() {
    return new Plan("full", 100_000, 2_000, 20, 10_000, 50_000, 20, 7, 60);
  }

  /** A smoke run: a tenth of the memories and fewer operations. */
  static Plan quick() {
    return new Plan("quick", 10_000, 500, 5, 2_000, 10_000, 5, 3, 60);
  }

  Duration maxWriteTime() {
    return Duration.ofSeconds(maxWriteSeconds);
  }

  Duration maxGetTime() {
    return Duration.ofSeconds(maxGetSeconds);
  }

  Duration processTimeout() {
    return Duration.ofSeconds(processTimeoutSeconds);
  }
}
