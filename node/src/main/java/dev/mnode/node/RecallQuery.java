package dev.mnode.node;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A recall: the query text, how many memories to return, and filters (classes: any of; tags: all
 * of; source; created in {@code [since, until)}); archived memories only when {@code archived}.
 */
public record RecallQuery(
    String query,
    int k,
    List<String> classes,
    List<String> tags,
    @Nullable String source,
    @Nullable Instant since,
    @Nullable Instant until,
    boolean archived) {
  /** Most memories one recall returns. */
  public static final int MAX_K = 1_000;
  /** Longest query, in characters: a question or a sentence, not a document. */
  public static final int MAX_QUERY_CHARS = 4_096;
  public static final int DEFAULT_K = 10;

  /** A recall that leaves archived memories out. */
  public RecallQuery(
      String query, int k, List<String> classes, List<String> tags, @Nullable String source, @Nullable Instant since,
      @Nullable Instant until) {
    this(query, k, classes, tags, source, since, until, false);
  }

  public RecallQuery {
    classes = List.copyOf(classes);
    tags = List.copyOf(tags);
  }

  public static RecallQuery of(String query) {
    return new RecallQuery(query, DEFAULT_K, List.of(), List.of(), null, null, null);
  }
}
