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
    long next = a.top() + 1L;
    if (entry.seq() <= a.skipped) {
      return new OfferResult(OfferResult.Status.DUPLICATE, List.of());
    }
    @Nullable LogEntry existing = entry.seq() < next ? a.at(entry.seq()) : a.pending.get(entry.seq());
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
    if (a.log.size() >= Integer.MAX_VALUE - 1) {
      throw new IllegalStateException("an in-memory log holds at most " + Integer.MAX_VALUE + " entries per author");
    }
    List<LogEntry> delivered = new ArrayList<>();
    a.log.add(entry);
    delivered.add(entry);
    a.release(delivered);
    return new OfferResult(OfferResult.Status.APPENDED, delivered);
  }

  @Override
  public synchronized List<LogEntry> skipTo(VersionVector covered) {
    List<LogEntry> delivered = new ArrayList<>();
    covered.asMap().forEach((author, seq) -> {
      Author a = authors.computeIfAbsent(author, k -> new Author());
      if (seq <= a.top()) {
        return;
      }
      a.skipped = seq;
      a.log.clear();
      a.pending.headMap(seq, true).clear();
      a.release(delivered);
    });
    return delivered;
  }

  @Override
  public synchronized VersionVector versionVector() {
    Map<String, Long> seqs = new HashMap<>();
    authors.forEach((name, a) -> seqs.put(name, a.top()));
    return VersionVector.of(seqs);
  }

  @Override
  public synchronized Optional<LogEntry> get(String author, long seq) {
    Author a = authors.get(author);
    if (a == null || seq <= a.skipped || seq > a.top()) {
      return Optional.empty();
    }
    return Optional.of(a.at(seq));
  }

  @Override
  public synchronized List<LogEntry> entries(SeqRange range) {
    Author a = authors.get(range.author());
    long from = Math.max(range.from(), a == null ? 1 : a.skipped + 1);
    if (a == null || from > a.top()) {
      return List.of();
    }
    long to = Math.min(range.to(), a.top());
    return List.copyOf(a.log.subList((int) (from - a.skipped - 1), (int) (to - a.skipped)));
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

  /**
   * One author's contiguous log after the entries a snapshot covered (index = seq - skipped - 1)
   * and held entries by seq.
   */
  private static final class Author {
    long skipped;
    final List<LogEntry> log = new ArrayList<>();
    final TreeMap<Long, LogEntry> pending = new TreeMap<>();

    long top() {
      return skipped + log.size();
    }

    LogEntry at(long seq) {
      return log.get((int) (seq - skipped - 1));
    }

    /** Moves held entries that now follow without a gap into the log, adding them to {@code out}. */
    void release(List<LogEntry> out) {
      for (@Nullable LogEntry e; (e = pending.remove(top() + 1L)) != null; ) {
        log.add(e);
        out.add(e);
      }
    }
  }
}
