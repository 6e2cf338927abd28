package dev.mnode.node.guard;

/** How many spans of one type a redaction replaced; never the values themselves. */
public record Finding(RedactionType type, int count) {
  public Finding {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
  }
}
