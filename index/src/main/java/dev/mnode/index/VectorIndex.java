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
    private static final long serialVersionUID = 1L;

    @Override
    public int dimensions() {
      return vector.length;
    }
  }

  private VectorIndex(int dimensions, HnswIndex<String, float[], Entry, Float> index) {
    this.dimensions = dimensions;
    this.index = index;
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
    reserve(1);
    index.add(new Entry(id, vector.clone()));
  }

  /**
   * Adds or replaces many vectors, on every core: what a rebuild needs (hnswlib's parallel
   * insert). {@code progress} hears the number added so far.
   */
  public synchronized void putAll(java.util.Map<String, float[]> vectors, java.util.function.IntConsumer progress) {
    List<Entry> items = new ArrayList<>(vectors.size());
    for (java.util.Map.Entry<String, float[]> e : vectors.entrySet()) {
      if (e.getValue().length != dimensions) {
        throw new IllegalArgumentException("vector has " + e.getValue().length + " dimensions, index " + dimensions);
      }
      index.remove(e.getKey(), 0);
      items.add(new Entry(e.getKey(), e.getValue().clone()));
    }
    reserve(items.size());
    try {
      index.addAll(items, Runtime.getRuntime().availableProcessors(), (done, max) -> progress.accept(done), 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the vector index", e);
    }
  }

  /**
   * Makes room for {@code n} more adds. Removed items keep their slots in hnswlib, so slots are
   * counted per add, not per live item; the capacity at least doubles when it grows.
   */
  private void reserve(int n) {
    slots = Math.max(slots, index.size()) + n;
    if (slots > index.getMaxItemCount()) {
      index.resize(Math.max(index.getMaxItemCount() * 2, slots));
    }
  }

  /** An upper bound on the slots hnswlib uses: live items plus every add since, replaced or not. */
  private int slots;

  public synchronized void remove(String id) {
    index.remove(id, 0);
  }

  public int size() {
    return index.size();
  }

  public int dimensions() {
    return dimensions;
  }

  /** Returns the vector of memory {@code id}, if indexed. */
  public java.util.Optional<float[]> get(String id) {
    return index.get(id).map(Entry::vector);
  }

  /**
   * Returns the exact {@code k} nearest among the memories {@code accept} lets through, by
   * scanning their vectors: the search for a filter too selective for the graph's candidates.
   */
  public List<Hit> exactNearest(float[] query, int k, java.util.function.Predicate<String> accept) {
    java.util.PriorityQueue<Hit> best =
        new java.util.PriorityQueue<>(java.util.Comparator.comparingDouble(Hit::score));
    for (Entry e : index.items()) {
      if (!accept.test(e.id())) {
        continue;
      }
      best.add(new Hit(e.id(), Vectors.dot(query, e.vector())));
      if (best.size() > k) {
        best.poll();
      }
    }
    List<Hit> out = new ArrayList<>(best);
    out.sort(java.util.Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::id));
    return out;
  }

  /** Writes the graph and its vectors, for a sealed snapshot that {@link #readFrom} loads. */
  public synchronized void writeTo(java.io.OutputStream out) throws java.io.IOException {
    index.save(out);
  }

  /**
   * Loads a graph written by {@link #writeTo}. It uses Java serialization (hnswlib's format), so
   * it must only ever read what this device sealed: the snapshot's AEAD makes sure of that.
   */
  public static VectorIndex readFrom(java.io.InputStream in, int dimensions) throws java.io.IOException {
    HnswIndex<String, float[], Entry, Float> index;
    try {
      index = HnswIndex.load(in, VectorIndex.class.getClassLoader());
    } catch (RuntimeException e) {
      throw new java.io.IOException("vector index snapshot does not load: " + e.getMessage(), e);
    }
    if (index.getDimensions() != dimensions) {
      throw new java.io.IOException(
          "vector index snapshot has " + index.getDimensions() + " dimensions, expected " + dimensions);
    }
    return new VectorIndex(dimensions, index);
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
