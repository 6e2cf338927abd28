package dev.mnode.node.guard;

import java.util.List;

/** Finds spans of one or a few types in a text. Implementations are immutable and thread-safe. */
interface Detector {
  /** Adds every span found in {@code text} to {@code out}; spans may overlap each other. */
  void find(String text, List<Span> out);
}
