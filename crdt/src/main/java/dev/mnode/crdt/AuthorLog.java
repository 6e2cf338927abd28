package dev.mnode.crdt;

import java.util.List;
import java.util.Optional;

/**
 * The logs of every author of one class on this device: for each author, the entries with seq 1,
 * 2, ... up to the first gap, plus a bounded number of later entries held until the gap fills.
 * Its {@link #versionVector()} is what a device announces in sync. Made by {@link
 * CrdtModule#inMemoryAuthorLog}; a persistent implementation must pass the same contract tests.
 * Implementations are thread-safe.
 */
public interface AuthorLog {
  /**
   * Offers one entry. If it is the next seq of its author it joins the log, followed by any held
   * entries that now follow without a gap; if an earlier seq is missing it is held; if the log has
   * or holds the same entry (same author, seq and payload) nothing changes.
   *
   * @throws EquivocationException if the log has or holds a different payload under the same
   *     author and seq; nothing changes
   * @throws PendingLimitException if the entry would be held but {@link #maxPendingPerAuthor()}
   *     entries of its author are held already; nothing changes, offer it again later
   */
  OfferResult offer(LogEntry entry) throws EquivocationException, PendingLimitException;

  /**
   * Treats every entry up to {@code covered}'s seq of each author as present without its payload:
   * a snapshot covering them was applied. Later offers of a covered seq are duplicates (whatever
   * their payload: a covered entry can no longer be compared), {@link #get} and {@link #entries}
   * do not return covered entries, and held entries that now follow without a gap are returned, in
   * order per author, as {@link #offer} delivers them. Authors already at or beyond their covered
   * seq are left alone.
   */
  List<LogEntry> skipTo(VersionVector covered);

  /** Returns each author's highest contiguous seq. */
  VersionVector versionVector();

  /** Returns the entry at {@code seq} of {@code author}'s contiguous log; empty if not there (or only held). */
  Optional<LogEntry> get(String author, long seq);

  /**
   * Returns the entries of {@code range} present in the contiguous log, in seq order: what to send
   * a peer for each range of {@code peerVector.missingFrom(versionVector())}.
   */
  List<LogEntry> entries(SeqRange range);

  /** Returns how many entries of {@code author} are held waiting for an earlier seq. */
  int pendingCount(String author);

  /** Returns how many entries per author may be held. */
  int maxPendingPerAuthor();
}
