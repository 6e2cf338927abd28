package dev.mnode.bench;

import java.time.Duration;
import java.util.SplittableRandom;

/** Runs a point read of random keys on one thread, after a warm-up, until a count or time bound. */
final class ReadLoad {
  /** Reads the entry at {@code index} of the caller's key list. */
  @FunctionalInterface
  interface Read {
    void read(int index) throws Exception;
  }

  private ReadLoad() {}

  /**
   * Reads {@code warmup} random indices below {@code population} unmeasured, then times up to
   * {@code count} more, stopping early when {@code maxTime} has passed (warm-up included).
   *
   * @throws Exception the first failing read
   */
  static ReadResult run(
      String benchmark,
      String layer,
      int population,
      int warmup,
      int count,
      Duration maxTime,
      Read op)
      throws Exception {
    SplittableRandom random = new SplittableRandom(Corpus.SEED);
    long deadline = System.nanoTime() + maxTime.toNanos();
    for (int i = 0; i < warmup && System.nanoTime() - deadline < 0; i++) {
      op.read(random.nextInt(population));
    }
    long[] nanos = new long[count];
    int n = 0;
    long t0 = System.nanoTime();
    for (; n < count && System.nanoTime() - deadline < 0; n++) {
      int index = random.nextInt(population);
      long s = System.nanoTime();
      op.read(index);
      nanos[n] = System.nanoTime() - s;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new ReadResult(
        benchmark,
        layer,
        population,
        n,
        Fmt.round(seconds, 3),
        Fmt.round(n / seconds, 0),
        LatencyStats.of(nanos, n),
        n < count);
  }
}
