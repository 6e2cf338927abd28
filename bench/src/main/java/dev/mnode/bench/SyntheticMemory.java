package dev.mnode.bench;

import dev.mnode.node.MemoryDraft;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One generated memory, before the node assigns it an id.
 *
 * @param text one or more sentences
 * @param memoryClass one of the five built-in classes
 * @param tags zero to four tags
 * @param importance 0 to 1, two decimals
 * @param source the tool it came from
 * @param created when it was first written
 * @param metadata a project name on some memories
 */
record SyntheticMemory(
    String text,
    String memoryClass,
    List<String> tags,
    double importance,
    String source,
    Instant created,
    Map<String, String> metadata) {

  /** The draft {@code remember} takes (the node sets id and times). */
  MemoryDraft draft() {
    return new MemoryDraft(text, memoryClass, tags, importance, source, false, metadata, List.of());
  }
}
