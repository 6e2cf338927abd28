package dev.mnode.node;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Changes to an existing memory: a null field is left as it is. {@code tags} and {@code links}
 * replace the whole list when given; {@code metadata} sets each key given, and an empty value
 * removes that key.
 */
public record MemoryPatch(
    @Nullable String text,
    @Nullable String memoryClass,
    @Nullable List<String> tags,
    @Nullable Double importance,
    @Nullable String source,
    @Nullable Boolean pinned,
    Map<String, String> metadata,
    @Nullable List<String> links) {

  public MemoryPatch {
    tags = tags == null ? null : List.copyOf(tags);
    metadata = Map.copyOf(metadata);
    links = links == null ? null : List.copyOf(links);
  }

  /** Returns whether the patch changes nothing. */
  public boolean isEmpty() {
    return text == null
        && memoryClass == null
        && tags == null
        && importance == null
        && source == null
        && pinned == null
        && metadata.isEmpty()
        && links == null;
  }
}
