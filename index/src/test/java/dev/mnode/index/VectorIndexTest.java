package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VectorIndexTest {
  @Test
  void hnswRecallAt10_againstExactSearch_isAtLeast098_onClusteredVectors() {
    int dims = 64;
    int n = 4_000;
    Random r = new Random(42);
    float[][] centers = new float[40][dims];
    for (float[] c : centers) {
      for (int i = 0; i < dims; i++) {
        c[i] = (float) r.nextGaussian();
      }
    }
    VectorIndex index = new VectorIndex(dims, 100);
    for (int i = 0; i < n; i++) {
      index.put("m" + i, point(centers[r.nextInt(centers.length)], r, dims));
    }
    assertEquals(n, index.size());
    double found = 0;
    int queries = 100;
    for (int q = 0; q < queries; q++) {
      float[] query = point(centers[r.nextInt(centers.length)], r, dims);
      Set<String> exact = ids(index.exactNearest(query, 10));
      Set<String> approx = ids(index.nearest(query, 10));
      approx.retainAll(exact);
      found += approx.size() / 10.0;
    }
    double recall = found / queries;
    assertTrue(recall >= 0.98, "recall@10 = " + recall);
  }

  @Test
  void put_replaces_remove_removes_andScoresAreCosine() {
    VectorIndex index = new VectorIndex(3, 2);
    index.put("x", Vectors.normalize(new float[] {1, 0, 0}));
    index.put("y", Vectors.normalize(new float[] {0, 1, 0}));
    index.put("z", Vectors.normalize(new float[] {0, 0, 1}));
    assertEquals("x", index.nearest(new float[] {1, 0, 0}, 1).get(0).id());
    assertEquals(1.0, index.nearest(new float[] {1, 0, 0}, 1).get(0).score(), 1e-5);
    index.put("x", Vectors.normalize(new float[] {0, 0.1f, 1}));
    assertEquals("y", index.nearest(new float[] {1, 0.2f, 0}, 1).get(0).id());
    index.remove("y");
    assertEquals(2, index.size());
    assertTrue(index.nearest(new float[] {0, 1, 0}, 3).stream().noneMatch(h -> h.id().equals("y")));
  }

  private static float[] point(float[] center, Random r, int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = center[i] + (float) (0.3 * r.nextGaussian());
    }
    return Vectors.normalize(v);
  }

  private static Set<String> ids(List<Hit> hits) {
    Set<String> s = new HashSet<>();
    hits.forEach(h -> s.add(h.id()));
    return s;
  }

  @Test
  void putAll_addsInParallel_replaces_andFindsLikePut() {
    java.util.Random r = new java.util.Random(3);
    java.util.Map<String, float[]> many = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 2_000; i++) {
      float[] v = new float[16];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian();
      }
      many.put("m" + i, Vectors.normalize(v));
    }
    VectorIndex idx = new VectorIndex(16, 10);
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    idx.putAll(many, seen::set);
    assertEquals(2_000, idx.size());
    assertEquals(2_000, seen.get());
    idx.putAll(java.util.Map.of("m7", many.get("m8")), n -> {});
    assertEquals(2_000, idx.size(), "replaced, not added");
    float[] q = many.get("m42");
    assertEquals("m42", idx.nearest(q, 1).get(0).id());
    assertEquals(idx.exactNearest(q, 5).stream().map(Hit::id).toList().subList(0, 3), idx.nearest(q, 5).stream().map(Hit::id).toList().subList(0, 3));
  }
}
