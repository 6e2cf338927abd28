package dev.mnode.node.aging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClustersTest {
  private static float[] unit(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
  }

  @Test
  void groupsAreStarsAroundTheOldest_notChains_andSinglesAreLeftAlone() {
    // a, b, c lie 0.3 rad apart: a~b and b~c pass cos 0.95 but a~c (0.6 rad, cos 0.825) does not.
    Map<String, float[]> v = Map.of("a", unit(0), "b", unit(0.3), "c", unit(0.6), "d", unit(0.62), "e", unit(2));
    List<Clusters.Group> g = Clusters.of(List.of("a", "b", "c", "d", "e"), v, 0.95);
    assertEquals(List.of(List.of("a", "b"), List.of("c", "d")), g.stream().map(Clusters.Group::ids).toList());
    assertEquals(Math.cos(0.3), g.get(0).minSimilarity(), 1e-6);
  }

  @Test
  void aGroupHoldsAtMostMaxCluster_andIdsWithoutVectorsAreSkipped() {
    java.util.List<String> ids = new java.util.ArrayList<>();
    java.util.Map<String, float[]> v = new java.util.HashMap<>();
    for (int i = 0; i < Clusters.MAX_CLUSTER + 3; i++) {
      ids.add("m" + (100 + i));
      v.put("m" + (100 + i), unit(0));
    }
    ids.add("nov");
    List<Clusters.Group> g = Clusters.of(ids, v, 0.9);
    assertEquals(Clusters.MAX_CLUSTER, g.get(0).ids().size());
    assertEquals(3, g.get(1).ids().size());
    assertEquals(2, g.size());
  }
}
