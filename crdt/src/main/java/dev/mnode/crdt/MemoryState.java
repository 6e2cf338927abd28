package dev.mnode.crdt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A memory as its document reads now ({@link MemoryDoc#materialize()}): what the node turns into
 * its {@code Memory} record and indexes. Tags and links are sorted lists without duplicates and
 * metadata is sorted by key (Java {@link String} order). Every single value meets the limits of
 * {@link MemoryFields}; the counts of tags, metadata entries and links may exceed them after a
 * merge of concurrent additions. Immutable.
 */
public record MemoryState(
    String id,
    String text,
    String memoryClass,
    List<String> tags,
    double importance,
    String source,
    Instant created,
    Instant updated,
    boolean pinned,
    SortedMap<String, String> metadata,
    List<String> links) {

  /**
   * Checks every single value against the limits of {@link MemoryFields} (not the counts) and
   * copies the collections sorted.
   *
   * @throws IllegalArgumentException naming the first bad value
   */
  public MemoryState {
    id = Checks.memoryId(id, "id");
    text = Checks.text(text);
    memoryClass = Checks.memoryClass(memoryClass);
    tags = Checks.tags(tags);
    importance = Checks.importance(importance);
    source = Checks.source(source);
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
    Checks.require(!updated.isBefore(created), "updated " + updated + " is before created " + created);
    metadata = Checks.metadata(metadata);
    links = Checks.links(links);
  }
}
