package dev.mnode.index;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Vectors: an HNSW graph (jelmerk hnswlib) under cosine distance, with adds, replacements and
 * removals. Its parameters are tuned against exact search (see docs/benchmarks.md); {@link
 * #exactNearest} is that exact search.
 *
 * <p>Thread-safe (hnswlib's index is).
 */
public final class VectorIndex {
  /** Links per node. */
  public static final int M = 16;
  /** Candidates kept while building. */
  public static final int EF_CONSTRUCTION = 200;
  /** Candidates kept while searching. */
  public static final int EF = 100;

  private final int dimensions;
  private final HnswIndex<String, float[], Entry, Float> index;

  record Entry(String id, float[] vector) implements Item<String, float[]> {
    @Override
    public int dimensions() {
      return vector.length;
    }
  }

  /** An empty index of {@code dimensions}-long vectors with room for {@code capacity} items. */
  public VectorIndex(int dimensions, int capacity) {
    this.dimensions = dimensions;
    this.index =
        HnswIndex.newBuilder(dimensions, DistanceFunctions.FLOAT_COSINE_DISTANCE, Math.max(16, capacity))
            .withM(M)
            .withEfConstruction(EF_CONSTRUCTION)
            .withEf(EF)
            .withRemoveEnabled()
            .build();
  }

  /** Adds or replaces the vector of memory {@code id}, growing the index when it is full. */
  public synchronized void put(String id, float[] vector) {
    if (vector.length != dimensions) {
      throw new IllegalArgumentException("vector has " + vector.length + " dimensions, index " + dimensions);
    }
    index.remove(id, 0);
    if (index.size() >= index.getMaxItemCount()) {
      index.resize(index.getMaxItemCount() * 2);
    }
    index.add(new Entry(id, vector.clone()));
  }

  public synchronized void remove(String id) {
    index.remove(id, 0);
  }

  public int size() {
    return index.size();
  }

  /** Returns up to {@code k} nearest memories by cosine similarity, best first (approximate). */
  public List<Hit> nearest(float[] query, int k) {
    return hits(index.findNearest(query, k));
  }

  /** Returns the exact {@code k} nearest memories, by scanning every vector. */
  public List<Hit> exactNearest(float[] query, int k) {
    return hits(index.asExactIndex().findNearest(query, k));
  }

  private static List<Hit> hits(List<SearchResult<Entry, Float>> results) {
    List<Hit> out = new ArrayList<>(results.size());
    for (SearchResult<Entry, Float> r : results) {
      out.add(new Hit(r.item().id(), 1.0 - r.distance()));
    }
    return out;
  }
}
