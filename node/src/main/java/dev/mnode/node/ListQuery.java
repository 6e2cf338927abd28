package dev.mnode.node;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which memories {@link MemoryService#list} returns, newest first: of any of {@code classes}
 * (all when empty), carrying {@code tag}, from {@code source}, created in {@code [since, until)},
 * at most {@code limit}; archived memories only when {@code archived}.
 */
public record ListQuery(
    List<String> classes,
    @Nullable String tag,
    @Nullable String source,
    @Nullable Instant since,
    @Nullable Instant until,
    int limit,
    boolean archived) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1_000_000;

  /** A listing that leaves archived memories out. */
  public ListQuery(
      List<String> classes, @Nullable String tag, @Nullable String source, @Nullable Instant since,
      @Nullable Instant until, int limit) {
    this(classes, tag, source, since, until, limit, false);
  }

  public ListQuery {
    classes = List.copyOf(classes);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
    }
  }

  public static ListQuery all(int limit) {
    return new ListQuery(List.of(), null, null, null, null, limit);
  }
}
