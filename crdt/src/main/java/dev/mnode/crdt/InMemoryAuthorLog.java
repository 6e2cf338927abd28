package dev.mnode.crdt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** {@link AuthorLog} in the heap. Thread-safe: every method holds the instance's lock. */
final class InMemoryAuthorLog implements AuthorLog {
  private final int maxPendingPerAuthor;
  /** Guarded by this. */
  private final Map<String, Author> authors = new HashMap<>();

  InMemoryAuthorLog(int maxPendingPerAuthor) {
    if (maxPendingPerAuthor < 0) {
      throw new IllegalArgumentException("maxPendingPerAuthor is negative: " + maxPendingPerAuthor);
    }
    this.maxPendingPerAuthor = maxPendingPerAuthor;
  }

  @Override
  public synchronized OfferResult offer(LogEntry entry) throws EquivocationException, PendingLimitException {
    Author a = authors.computeIfAbsent(entry.author(), k -> new Author());
    long next = a.log.size() + 1L;
    @Nullable LogEntry existing = entry.seq() < next ? a.log.get((int) (entry.seq() - 1)) : a.pending.get(entry.seq());
    if (existing != null) {
      if (existing.payload().equals(entry.payload())) {
        return new OfferResult(OfferResult.Status.DUPLICATE, List.of());
      }
      throw new EquivocationException(
          entry.author(),
          entry.seq(),
          "author " + entry.author() + " sent two different entries with seq " + entry.seq());
    }
    if (entry.seq() > next) {
      if (a.pending.size() >= maxPendingPerAuthor) {
        throw new PendingLimitException(
            maxPendingPerAuthor,
            "author " + entry.author() + " already has " + a.pending.size()
                + " entries waiting for seq " + next + "; refused seq " + entry.seq());
      }
      a.pending.put(entry.seq(), entry);
      return new OfferResult(OfferResult.Status.HELD, List.of());
    }
    if (next > Integer.MAX_VALUE) {
      throw new IllegalStateException("an in-memory log holds at most " + Integer.MAX_VALUE + " entries per author");
    }
    List<LogEntry> delivered = new ArrayList<>();
    a.log.add(entry);
    delivered.add(entry);
    for (@Nullable LogEntry e; (e = a.pending.remove(a.log.size() + 1L)) != null; ) {
      a.log.add(e);
      delivered.add(e);
    }
    return new OfferResult(OfferResult.Status.APPENDED, delivered);
  }

  @Override
  public synchronized VersionVector versionVector() {
    Map<String, Long> seqs = new HashMap<>();
    authors.forEach((name, a) -> seqs.put(name, (long) a.log.size()));
    return VersionVector.of(seqs);
  }

  @Override
  public synchronized Optional<LogEntry> get(String author, long seq) {
    Author a = authors.get(author);
    if (a == null || seq < 1 || seq > a.log.size()) {
      return Optional.empty();
    }
    return Optional.of(a.log.get((int) (seq - 1)));
  }

  @Override
  public synchronized List<LogEntry> entries(SeqRange range) {
    Author a = authors.get(range.author());
    if (a == null || range.from() > a.log.size()) {
      return List.of();
    }
    int to = (int) Math.min(range.to(), a.log.size());
    return List.copyOf(a.log.subList((int) range.from() - 1, to));
  }

  @Override
  public synchronized int pendingCount(String author) {
    Author a = authors.get(author);
    return a == null ? 0 : a.pending.size();
  }

  @Override
  public int maxPendingPerAuthor() {
    return maxPendingPerAuthor;
  }

  /** One author's contiguous log (index = seq - 1) and held entries by seq. */
  private static final class Author {
    final List<LogEntry> log = new ArrayList<>();
    final TreeMap<Long, LogEntry> pending = new TreeMap<>();
  }
}
