package dev.mnode.crdt.membership;

import dev.mnode.crypto.ClassTag;
import java.util.BitSet;
import java.util.Map;

/**
 * A stored operation with what the log derived from its causal past once, when it was stored.
 * Immutable once built (the ancestors set is never changed after construction).
 *
 * @param op the operation
 * @param index its position in arrival order here; the bit that stands for it in ancestor sets
 * @param ancestors the indexes of every operation in its causal past (not itself)
 * @param starts the epochs it starts, by class
 */
record Node(Operation op, int index, BitSet ancestors, Map<ClassTag, Integer> starts) {
  /** Returns whether {@code other} is in this operation's causal past. */
  boolean descendsFrom(Node other) {
    return ancestors.get(other.index);
  }
}
