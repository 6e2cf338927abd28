package dev.mnode.bench;

import dev.mnode.index.Hit;
import java.util.List;

/** A way to fuse the vector and word result lists, which the evaluation compares. */
interface FusionRanker {
  /** A name for tables. */
  String name();

  /** Fuses {@code vector} and {@code text} (each best first) and returns the ids, best first. */
  List<String> rank(List<Hit> vector, List<Hit> text);
}
