package dev.mnode.node.classify;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The class a classifier proposes for a text and how sure it is: {@code confidence} in [0, 1] is
 * the proposed class's share of {@code confidences}, which hold every candidate class's share
 * (they sum to 1). Immutable.
 */
public record Proposal(String memoryClass, double confidence, SortedMap<String, Double> confidences) {
  public Proposal {
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0, 1]: " + confidence);
    }
    confidences = Collections.unmodifiableSortedMap(new TreeMap<>(confidences));
  }

  /** Whether the proposal is sure enough to be taken without a person's review. */
  public boolean sureAt(double threshold) {
    return confidence >= threshold;
  }
}
