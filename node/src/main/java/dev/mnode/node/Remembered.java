package dev.mnode.node;

import dev.mnode.node.guard.Finding;
import dev.mnode.store.Memory;
import java.util.List;

/**
 * What remember did: stored {@code memory}, or found that its class already holds the same fact
 * ({@code duplicate}), which it returns instead of storing a second copy; and what redaction
 * replaced in the text before it was stored (type and count, never a value).
 */
public record Remembered(Memory memory, boolean duplicate, List<Finding> redactions) {
  public Remembered {
    redactions = List.copyOf(redactions);
  }

  public Remembered(Memory memory, boolean duplicate) {
    this(memory, duplicate, List.of());
  }
}
