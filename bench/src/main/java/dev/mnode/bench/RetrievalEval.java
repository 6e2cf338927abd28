package dev.mnode.bench;

import dev.mnode.bench.wordnet.EvalQuery;
import dev.mnode.bench.wordnet.EvalSet;
import dev.mnode.bench.wordnet.Synset;
import dev.mnode.index.Embedder;
import dev.mnode.index.Fusion;
import dev.mnode.index.Hit;
import dev.mnode.index.IndexException;
import dev.mnode.index.TextIndex;
import dev.mnode.index.VectorIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The retrieval evaluation of one embedding model: embeds the memories, builds the real {@link
 * TextIndex} and {@link VectorIndex}, asks every query of BM25 alone, exact vector search, HNSW and
 * their {@link Fusion}, and times in-process recalls. Every list is {@value #DEPTH} deep.
 */
final class RetrievalEval {
  static final String BM25 = "BM25";
  static final String EXACT = "vectors, exact";
  static final String HNSW = "vectors, HNSW";
  static final String HYBRID = "hybrid: Fusion (relative score, vectors " + Fusion.VECTOR_WEIGHT + "), HNSW + BM25";

  /** Candidates taken from each index, and length of every ranked list. */
  static final int DEPTH = 100;
  /** Memories a timed recall returns. */
  static final int RECALL_K = 10;
  /** Recalls timed by {@code bin/bench recall}, after a tenth as many untimed ones. */
  static final int LATENCY_QUERIES = 1_000;
  private static final long PROGRESS_NANOS = 15_000_000_000L;

  private final EvalSet set;
  private final Consumer<String> progress;
  private final @Nullable Path cacheDir;
  private final int latencyQueries;

  /**
   * An evaluation of {@code set} that times {@code latencyQueries} recalls, reports progress to
   * {@code progress} and keeps corpus vectors in {@code cacheDir} (none when null).
   */
  RetrievalEval(EvalSet set, int latencyQueries, @Nullable Path cacheDir, Consumer<String> progress) {
    if (latencyQueries < 1) {
      throw new IllegalArgumentException("latencyQueries " + latencyQueries + " < 1");
    }
    this.set = set;
    this.latencyQueries = latencyQueries;
    this.cacheDir = cacheDir;
    this.progress = progress;
  }

  /**
   * Evaluates the model {@code name} that {@code load} returns.
   *
   * @throws IndexException if the model or an index fails
   */
  ModelResult run(String name, Function<String, Embedder> load)
      throws IndexException, IOException, InterruptedException {
    long t0 = System.nanoTime();
    Embedder embedder = load.apply(name);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;

    List<Synset> memories = set.memories();
    List<String> texts = set.memoryTexts();
    progress.accept(name + ": embedding " + Fmt.count(texts.size()) + " memories");
    CorpusEmbedding.Result corpus = CorpusEmbedding.embed(embedder, texts, cacheDir, progress);

    List<String> queryTexts = new ArrayList<>(set.queries().size());
    for (EvalQuery q : set.queries()) {
      queryTexts.add(q.text());
    }
    long q0 = System.nanoTime();
    float[][] queryVectors = CorpusEmbedding.queries(embedder, queryTexts);
    double queryPerSecond = queryTexts.size() / ((System.nanoTime() - q0) / 1e9);

    progress.accept(name + ": building the BM25 and HNSW indexes");
    long heap0 = usedHeap();
    long b0 = System.nanoTime();
    TextIndex text = new TextIndex();
    java.time.Instant now0 = java.time.Instant.now();
    try {
      Ticker tick = new Ticker("BM25", memories.size());
      List<dev.mnode.index.IndexedMemory> batch = new ArrayList<>();
      for (int i = 0; i < memories.size(); i++) {
        batch.add(new dev.mnode.index.IndexedMemory(memories.get(i).id(), texts.get(i), "other", List.of(), "", now0, 0.5, false));
        if (batch.size() == 1_000 || i == memories.size() - 1) {
          text.putAll(batch); // one searcher refresh per thousand, as the node's index does
          batch.clear();
          tick.done(i + 1);
        }
      }
      double textSeconds = (System.nanoTime() - b0) / 1e9;
      long heap1 = usedHeap();
      long b1 = System.nanoTime();
      VectorIndex vectors = new VectorIndex(embedder.dimensions(), memories.size());
      tick = new Ticker("HNSW", memories.size());
      java.util.Map<String, float[]> all = new java.util.LinkedHashMap<>();
      for (int i = 0; i < memories.size(); i++) {
        all.put(memories.get(i).id(), corpus.vectors()[i]);
      }
      vectors.putAll(all, tick::done);
      double vectorSeconds = (System.nanoTime() - b1) / 1e9;
      long heap2 = usedHeap();

      progress.accept(name + ": asking " + Fmt.count(queryTexts.size()) + " queries");
      Quality quality = quality(text, vectors, queryVectors);
      progress.accept(name + ": timing in-process recalls");
      Latency latency = latency(embedder, text, vectors);
      return new ModelResult(
          name,
          embedder.modelId(),
          memories.size(),
          queryTexts.size(),
          Fmt.round(loadSeconds, 2),
          new ModelResult.Embedding(
              Fmt.round(corpus.seconds(), 1),
              Fmt.round(texts.size() / corpus.seconds(), 0),
              corpus.threads(),
              corpus.cached()),
          Fmt.round(queryPerSecond, 0),
          Fmt.round(textSeconds, 2),
          Fmt.round(vectorSeconds, 2),
          mib(heap1 - heap0),
          mib(heap2 - heap1),
          mib((long) memories.size() * embedder.dimensions() * Float.BYTES),
          mib(corpus.cacheBytes()),
          quality.main(),
          quality.variants(),
          quality.hnswRecallAt10(),
          latency.withEmbedding(),
          latency.withoutEmbedding(),
          latency.embedding());
    } finally {
      text.close();
    }
  }

  /** Reports a long loop's progress at most every {@link #PROGRESS_NANOS}. Confined. */
  private final class Ticker {
    private final String what;
    private final int total;
    private final long start = System.nanoTime();
    private long last = start;

    Ticker(String what, int total) {
      this.what = what;
      this.total = total;
    }

    void done(int count) {
      long now = System.nanoTime();
      if (now - last > PROGRESS_NANOS) {
        last = now;
        double rate = count / ((now - start) / 1e9);
        progress.accept(
            String.format(
                Locale.ROOT,
                "%s: %s of %s (%.0f/s, about %.0f s left)",
                what, Fmt.count(count), Fmt.count(total), rate, (total - count) / rate));
      }
    }
  }

  private record Quality(List<RankQuality> main, List<RankQuality> variants, double hnswRecallAt10) {}

  private Quality quality(TextIndex text, VectorIndex vectors, float[][] queryVectors) throws IndexException {
    RankQuality.Counter bm25 = new RankQuality.Counter(BM25);
    RankQuality.Counter exact = new RankQuality.Counter(EXACT);
    RankQuality.Counter hnsw = new RankQuality.Counter(HNSW);
    RankQuality.Counter hybrid = new RankQuality.Counter(HYBRID);
    List<RankQuality.Counter> variants = new ArrayList<>();
    for (FusionRanker v : FusionVariant.TRIED) {
      variants.add(new RankQuality.Counter(v.name()));
    }
    double overlap = 0;
    Instant now = Instant.now();
    List<EvalQuery> queries = set.queries();
    Ticker tick = new Ticker("queries", queries.size());
    for (int i = 0; i < queries.size(); i++) {
      EvalQuery q = queries.get(i);
      List<Hit> words = text.search(q.text(), DEPTH);
      List<Hit> exactHits = vectors.exactNearest(queryVectors[i], DEPTH);
      List<Hit> approx = vectors.nearest(queryVectors[i], DEPTH);
      bm25.add(ids(words), q.relevantId());
      exact.add(ids(exactHits), q.relevantId());
      hnsw.add(ids(approx), q.relevantId());
      hybrid.add(fuse(approx, words, now, DEPTH), q.relevantId());
      for (int v = 0; v < variants.size(); v++) {
        variants.get(v).add(FusionVariant.TRIED.get(v).rank(approx, words), q.relevantId());
      }
      Set<String> top = new HashSet<>(ids(exactHits.subList(0, Math.min(10, exactHits.size()))));
      int found = 0;
      for (Hit h : approx.subList(0, Math.min(10, approx.size()))) {
        found += top.contains(h.id()) ? 1 : 0;
      }
      overlap += top.isEmpty() ? 1 : (double) found / top.size();
      tick.done(i + 1);
    }
    List<RankQuality> variantResults = new ArrayList<>();
    for (RankQuality.Counter c : variants) {
      variantResults.add(c.result());
    }
    return new Quality(
        List.of(bm25.result(), exact.result(), hnsw.result(), hybrid.result()),
        variantResults,
        Fmt.round(overlap / queries.size(), 4));
  }

  private record Latency(LatencyStats withEmbedding, LatencyStats withoutEmbedding, LatencyStats embedding) {}

  /**
   * Times {@link #latencyQueries} recalls after a tenth as many untimed ones, one at a time on this
   * thread: embed the query, then search both indexes and fuse.
   */
  private Latency latency(Embedder embedder, TextIndex text, VectorIndex vectors)
      throws IndexException {
    List<EvalQuery> queries = set.queries();
    int timed = latencyQueries;
    int warmup = Math.max(1, timed / 10);
    long[] whole = new long[timed];
    long[] search = new long[timed];
    long[] embedding = new long[timed];
    Instant now = Instant.now();
    for (int i = 0; i < warmup + timed; i++) {
      EvalQuery q = queries.get(i % queries.size());
      long t0 = System.nanoTime();
      float[] v = embedder.embedQueries(List.of(q.text())).get(0);
      long t1 = System.nanoTime();
      List<String> found = fuse(vectors.nearest(v, DEPTH), text.search(q.text(), DEPTH), now, RECALL_K);
      long t2 = System.nanoTime();
      if (found.isEmpty()) {
        throw new IllegalStateException("recall found nothing for: " + q.text());
      }
      if (i >= warmup) {
        whole[i - warmup] = t2 - t0;
        search[i - warmup] = t2 - t1;
        embedding[i - warmup] = t1 - t0;
      }
    }
    return new Latency(
        LatencyStats.of(whole, timed), LatencyStats.of(search, timed), LatencyStats.of(embedding, timed));
  }

  /** {@link Fusion#rank} with every memory equally new, important and unpinned: RRF alone decides. */
  private static List<String> fuse(List<Hit> vector, List<Hit> words, Instant now, int k) {
    Optional<Fusion.Facts> neutral = Optional.of(new Fusion.Facts(0.5, now, false));
    List<String> out = new ArrayList<>();
    for (Fusion.Ranked r : Fusion.rank(vector, words, id -> neutral, now, k)) {
      out.add(r.id());
    }
    return out;
  }

  private static List<String> ids(List<Hit> hits) {
    List<String> out = new ArrayList<>(hits.size());
    for (Hit h : hits) {
      out.add(h.id());
    }
    return out;
  }

  /** Heap in use after a full collection (approximate: the collector decides what it frees). */
  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return r.totalMemory() - r.freeMemory();
  }

  private static double mib(long bytes) {
    return Fmt.round(bytes / 1048576.0, 1);
  }
}
