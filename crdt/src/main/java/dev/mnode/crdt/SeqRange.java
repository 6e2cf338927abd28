package dev.mnode.crdt;

/**
 * The sequence numbers {@code from..to} (both included) of one author's log.
 *
 * @param author the author id
 * @param from first seq, at least 1
 * @param to last seq, at least {@code from}
 */
public record SeqRange(String author, long from, long to) {
  /** @throws IllegalArgumentException for a bad author id or range */
  public SeqRange {
    Checks.author(author);
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("bad range " + from + ".." + to + " of " + author);
    }
  }

  /** Returns how many seqs the range holds. */
  public long count() {
    return to - from + 1;
  }
}
