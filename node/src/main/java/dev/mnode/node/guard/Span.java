package dev.mnode.node.guard;

/**
 * Where a detector found something in a text: the half-open character range {@code [start, end)}
 * and its type. Holds offsets only, never the characters, so a span can be logged.
 */
public record Span(RedactionType type, int start, int end) {
  public Span {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }

  /** True when the two ranges share at least one character. */
  public boolean overlaps(Span other) {
    return start < other.end && other.start < end;
  }
}
