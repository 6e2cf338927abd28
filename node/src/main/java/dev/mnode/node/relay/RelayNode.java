package dev.mnode.node.relay;

import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.ProgressListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Relay sync while {@code mnode serve} runs: a round with every relay of {@code relays.json} (read
 * again each time) every {@code interval}, and one {@code afterWrite} after a local write. Rounds
 * run one at a time on the thread {@code mnode-relay}; a failing relay is reported through {@code
 * warn} and tried again next time. Thread-safe.
 */
public final class RelayNode implements AutoCloseable {
  private final LocalMemoryService service;
  private final Home home;
  private final Map<String, String> env;
  private final Duration afterWrite;
  private final Consumer<String> warn;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean soon = new AtomicBoolean();
  private final Map<String, RelayReport> last = new ConcurrentHashMap<>();
  private final Map<String, RelayStatus> status = new ConcurrentHashMap<>();
  private final java.time.Clock clock = java.time.Clock.systemUTC();

  private RelayNode(LocalMemoryService service, Home home, Map<String, String> env, Duration afterWrite, Consumer<String> warn) {
    this.service = service;
    this.home = home;
    this.env = Map.copyOf(env);
    this.afterWrite = afterWrite;
    this.warn = warn;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mnode-relay");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts periodic relay sync for {@code service}'s home; the first round runs at once. A home
   * without relays costs one read of a missing file per interval and opens no connection.
   */
  public static RelayNode start(
      LocalMemoryService service, Home home, Map<String, String> env, Duration interval, Duration afterWrite, Consumer<String> warn) {
    if (interval.isNegative() || interval.isZero() || afterWrite.isNegative()) {
      throw new IllegalArgumentException("relay interval must be positive: " + interval + ", after write " + afterWrite);
    }
    RelayNode n = new RelayNode(service, home, env, afterWrite, warn);
    n.executor.scheduleWithFixedDelay(n::roundAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    service.onWrite(n::changed);
    return n;
  }

  /** Asks for a round {@code afterWrite} from now, unless one is already asked for. */
  public void changed() {
    if (soon.compareAndSet(false, true)) {
      try {
        executor.schedule(() -> {
          soon.set(false);
          roundAll();
        }, afterWrite.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /** The last report of each relay synced since the start, by URI. */
  public Map<String, RelayReport> lastReports() {
    return Map.copyOf(last);
  }

  /** Each relay of the home's list and how its last round went, by URI. */
  public List<RelayStatus> statuses() {
    List<RelayStatus> out = new java.util.ArrayList<>();
    try {
      for (Relay r : RelayList.load(home)) {
        out.add(status.getOrDefault(r.uri().toString(), RelayStatus.none(r.uri().toString())));
      }
    } catch (NodeException e) {
      return List.copyOf(status.values());
    }
    return out;
  }

  private void roundAll() {
    List<Relay> relays;
    try {
      relays = RelayList.load(home);
    } catch (NodeException e) {
      warn.accept(e.getMessage());
      return;
    }
    for (Relay r : relays) {
      try {
        RelayReport rep = RelaySync.round(service, home, r, env, ProgressListener.NONE, warn);
        last.put(r.uri().toString(), rep);
        status.put(r.uri().toString(), RelayStatus.of(rep, clock.instant()));
        if (!rep.rejected().isEmpty()) {
          warn.accept("relay " + r.uri() + ": rejected " + rep.rejected().size() + " blob(s), first: " + rep.rejected().get(0).reason());
        }
      } catch (NodeException | RuntimeException e) {
        warn.accept("relay sync with " + r.uri() + " failed: " + e.getMessage());
        status.merge(r.uri().toString(), RelayStatus.none(r.uri().toString()).failed(String.valueOf(e.getMessage()), clock.instant()),
            (old, none) -> old.failed(String.valueOf(e.getMessage()), clock.instant()));
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
