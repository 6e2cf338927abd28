package dev.mnode.crdt;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AuthorLog#offer} did with an entry.
 *
 * @param status what happened to the offered entry
 * @param delivered the entries that joined the contiguous log because of this offer, in seq order:
 *     the offered entry and any held successors it released; empty unless {@code status} is
 *     {@link Status#APPENDED}. These are the entries to open and apply now.
 */
public record OfferResult(Status status, List<LogEntry> delivered) {
  /** What happened to an offered entry. */
  public enum Status {
    /** It extended the contiguous log (with any held successors it released). */
    APPENDED,
    /** It was held: an earlier seq of its author is missing. */
    HELD,
    /** The log already had or held exactly this entry; nothing changed. */
    DUPLICATE
  }

  /** @throws IllegalArgumentException unless exactly the APPENDED status delivers entries */
  public OfferResult {
    Objects.requireNonNull(status, "status");
    delivered = List.copyOf(delivered);
    if ((status == Status.APPENDED) == delivered.isEmpty()) {
      throw new IllegalArgumentException(status + " with " + delivered.size() + " delivered entries");
    }
  }
}
