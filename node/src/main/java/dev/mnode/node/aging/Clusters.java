package dev.mnode.node.aging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Groups near-duplicate memories of one class: each group is a seed (the oldest memory not yet
 * grouped) with every later ungrouped memory whose cosine with the seed is at least the threshold.
 * Star-shaped rather than chained, so that A~B and B~C never put an unrelated A and C together.
 * Groups have 2 to {@value #MAX_CLUSTER} members. Stateless.
 */
public final class Clusters {
  /** Most memories one summary replaces. */
  public static final int MAX_CLUSTER = 16;

  private Clusters() {}

  /** A group of near-duplicates, oldest first, and the lowest cosine between its seed and a member. */
  public record Group(List<String> ids, double minSimilarity) {
    public Group {
      ids = List.copyOf(ids);
    }
  }

  /**
   * Returns the groups among {@code ids} (oldest first); {@code vectors} holds their unit-length
   * vectors (an id without one is left alone).
   */
  public static List<Group> of(List<String> ids, Map<String, float[]> vectors, double threshold) {
    List<Group> out = new ArrayList<>();
    boolean[] taken = new boolean[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      float[] seed = vectors.get(ids.get(i));
      if (taken[i] || seed == null) {
        continue;
      }
      List<String> members = new ArrayList<>(List.of(ids.get(i)));
      double min = 1;
      for (int j = i + 1; j < ids.size() && members.size() < MAX_CLUSTER; j++) {
        float[] v = vectors.get(ids.get(j));
        if (taken[j] || v == null) {
          continue;
        }
        double cos = dot(seed, v);
        if (cos >= threshold) {
          taken[j] = true;
          members.add(ids.get(j));
          min = Math.min(min, cos);
        }
      }
      if (members.size() > 1) {
        taken[i] = true;
        out.add(new Group(members, min));
      }
    }
    return out;
  }

  static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
