package dev.mnode.node;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks to remember; absent fields take defaults (importance 0.5, empty source, not
 * pinned). Without a class, the node proposes one ({@link dev.mnode.node.classify.Classifier}).
 * The node assigns id and times.
 */
public record MemoryDraft(
    String text,
    @Nullable String memoryClass,
    List<String> tags,
    @Nullable Double importance,
    @Nullable String source,
    boolean pinned,
    Map<String, String> metadata,
    List<String> links) {

  public MemoryDraft {
    tags = List.copyOf(tags);
    metadata = Map.copyOf(metadata);
    links = List.copyOf(links);
  }

  /** A draft with only text; everything else default. */
  public static MemoryDraft of(String text) {
    return new MemoryDraft(text, null, List.of(), null, null, false, Map.of(), List.of());
  }
}
