package dev.mnode.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one write operation from several threads at once until a count or a time bound. */
final class WriteLoad {
  /** One durable write; {@code seq} is unique across the run's threads. */
  @FunctionalInterface
  interface Write {
    void write(int seq) throws Exception;
  }

  private WriteLoad() {}

  /**
   * Runs {@code op} from {@code writers} threads, started together, until {@code maxWrites} writes
   * were claimed or {@code maxTime} passed, and times each write.
   *
   * @throws Exception the first failure of any write
   */
  static WriteResult run(
      String benchmark, String layer, int writers, int maxWrites, Duration maxTime, Write op)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    long[][] latencies = new long[writers][maxWrites];
    int[] done = new int[writers];
    boolean[] timedOut = new boolean[writers];
    long[] deadline = new long[1];
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int me = w;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int seq; (seq = next.getAndIncrement()) < maxWrites; ) {
                    if (System.nanoTime() - deadline[0] > 0) {
                      timedOut[me] = true;
                      return;
                    }
                    long t0 = System.nanoTime();
                    op.write(seq);
                    latencies[me][done[me]++] = System.nanoTime() - t0;
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                }
              },
              "writer-" + w);
      threads.add(t);
      t.start();
    }
    long t0 = System.nanoTime();
    deadline[0] = t0 + maxTime.toNanos();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failure.get() != null) {
      throw failure.get();
    }
    long[] all = new long[maxWrites];
    int n = 0;
    boolean stoppedByTime = false;
    for (int w = 0; w < writers; w++) {
      System.arraycopy(latencies[w], 0, all, n, done[w]);
      n += done[w];
      stoppedByTime |= timedOut[w];
    }
    return new WriteResult(
        benchmark,
        layer,
        writers,
        n,
        Fmt.round(seconds, 3),
        Fmt.round(n / seconds, 0),
        LatencyStats.of(all, n),
        stoppedByTime,
        null);
  }
}
