package dev.mnode.bench;

import java.util.List;

/**
 * The retrieval evaluation of one embedding model on one set of memories and queries.
 *
 * @param model the model's short name ({@code minilm}, {@code bge-small})
 * @param modelId the embedder's full model id
 * @param memories memories indexed
 * @param queries queries asked
 * @param loadSeconds time to load the model
 * @param embed embedding the corpus: time, rate, threads, whether read from the cache
 * @param queryEmbedPerSecond queries embedded per second, in batches of {@link CorpusEmbedding#BATCH}
 *     on one thread (with the query instruction, if the model has one)
 * @param textBuildSeconds putting every memory into a new {@code TextIndex}
 * @param vectorBuildSeconds putting every vector into a new {@code VectorIndex}
 * @param textHeapMiB heap held by the {@code TextIndex}, after garbage collection
 * @param vectorHeapMiB heap held by the {@code VectorIndex} (its vector copies and graph)
 * @param vectorsMiB the raw vectors, 4 bytes per dimension: what storing them costs at least
 * @param cacheMiB the vector cache file on disk, 0 without one
 * @param quality BM25, vectors (exact, HNSW) and hybrid through {@code Fusion}
 * @param fusionVariants other fusions of the same HNSW and BM25 lists
 * @param hnswRecallAt10 share of the exact top ten that HNSW also returns, averaged over queries
 * @param recallWithEmbedding one in-process recall: embed the query, HNSW and BM25 search, fuse
 * @param recallWithoutEmbedding the same recall with the query vector given
 * @param queryEmbedding embedding one query alone
 */
record ModelResult(
    String model,
    String modelId,
    int memories,
    int queries,
    double loadSeconds,
    Embedding embed,
    double queryEmbedPerSecond,
    double textBuildSeconds,
    double vectorBuildSeconds,
    double textHeapMiB,
    double vectorHeapMiB,
    double vectorsMiB,
    double cacheMiB,
    List<RankQuality> quality,
    List<RankQuality> fusionVariants,
    double hnswRecallAt10,
    LatencyStats recallWithEmbedding,
    LatencyStats recallWithoutEmbedding,
    LatencyStats queryEmbedding) {

  /**
   * How the corpus was embedded.
   *
   * @param seconds wall time (when it was computed, if cached)
   * @param perSecond memories embedded per second
   * @param threads Java threads calling the embedder
   * @param cached whether this run read the vectors from the cache
   */
  record Embedding(double seconds, double perSecond, int threads, boolean cached) {}

  /** The quality of {@code method}, one of {@link RetrievalEval}'s method names. */
  RankQuality quality(String method) {
    return quality.stream()
        .filter(q -> q.method().equals(method))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no method " + method));
  }
}
