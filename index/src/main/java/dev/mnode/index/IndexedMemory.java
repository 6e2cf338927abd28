package dev.mnode.index;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the indexes hold of one memory: its text, and the facts that filter and weigh it.
 *
 * @param id the memory's id
 * @param text the text that is embedded and searched
 * @param memoryClass the class name
 * @param tags tags
 * @param source the source, empty when none
 * @param created creation time (recency and time filters)
 * @param importance 0..1
 * @param pinned whether pinned
 * @param archived whether aging archived it: default recall leaves it out
 */
public record IndexedMemory(
    String id,
    String text,
    String memoryClass,
    List<String> tags,
    String source,
    Instant created,
    double importance,
    boolean pinned,
    boolean archived) {
  public IndexedMemory {
    Objects.requireNonNull(id);
    Objects.requireNonNull(text);
    Objects.requireNonNull(memoryClass);
    tags = List.copyOf(tags);
    Objects.requireNonNull(source);
    Objects.requireNonNull(created);
  }

  /** A memory that is not archived. */
  public IndexedMemory(
      String id, String text, String memoryClass, List<String> tags, String source, Instant created, double importance,
      boolean pinned) {
    this(id, text, memoryClass, tags, source, created, importance, pinned, false);
  }

  /** The facts ranking needs. */
  Fusion.Facts facts() {
    return new Fusion.Facts(importance, created, pinned);
  }
}
