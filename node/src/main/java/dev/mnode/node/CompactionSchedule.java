package dev.mnode.node;

import dev.mnode.node.aging.CompactReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Makes forgetting final while a node runs: every {@code interval}, {@link
 * LocalMemoryService#finalizeForgetting} re-seals each class with a memory forgotten since the
 * last run (nothing happens, and nothing is rewritten, when there is none). Runs on the daemon
 * thread {@code mnode-compact}; a failure is reported through {@code warn} and tried again next
 * time. Thread-safe.
 */
public final class CompactionSchedule implements AutoCloseable {
  private final ScheduledExecutorService executor;

  private CompactionSchedule(LocalMemoryService service, Consumer<List<CompactReport.Sealed>> done, Consumer<String> warn,
      Duration interval) {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mnode-compact");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(() -> {
      try {
        List<CompactReport.Sealed> sealed = service.finalizeForgetting(ProgressListener.NONE, true);
        if (!sealed.isEmpty()) {
          done.accept(sealed);
        }
      } catch (NodeException | RuntimeException e) {
        warn.accept("compaction failed, trying again later: " + e.getMessage());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the schedule; the first run is one {@code interval} from now.
   *
   * @param done told, on the schedule's thread, what each run that re-sealed something did
   */
  public static CompactionSchedule start(
      LocalMemoryService service, Duration interval, Consumer<List<CompactReport.Sealed>> done, Consumer<String> warn) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("compaction interval must be positive: " + interval);
    }
    return new CompactionSchedule(service, done, warn, interval);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
