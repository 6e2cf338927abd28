package dev.mnode.crdt;

import java.util.Objects;

/**
 * One entry of an author's log in one class: in mnode, the sealed bundle the author wrote with
 * that seq.
 *
 * @param author the author id (1 to {@value VersionVector#MAX_AUTHOR_CHARS} printable ASCII)
 * @param seq the entry's position in the author's log, from 1
 * @param payload the entry's bytes, compared exactly to tell duplicates from equivocation
 */
public record LogEntry(String author, long seq, ByteString payload) {
  /** @throws IllegalArgumentException for a bad author id or a seq below 1 */
  public LogEntry {
    Checks.author(author);
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1: " + seq);
    }
    Objects.requireNonNull(payload, "payload");
  }
}
