package dev.mnode.bench;

import java.io.PrintStream;

/** Prints a {@link RecallReport} as plain-text tables. */
final class RecallTextReport {
  private RecallTextReport() {}

  /** Prints every section of {@code r} to {@code out}. */
  static void print(RecallReport r, PrintStream out) {
    Machine m = r.machine();
    out.printf("mnode retrieval evaluation, %s run: %s (%.0f s)%n", r.run(), r.corpus(), r.seconds());
    out.printf(
        "%d cores, %s, %s GiB RAM; %s; %s%n%n",
        m.cores(), m.cpu(), Fmt.num(m.memoryGib(), 1), m.jdk(), m.os());
    quality(r, out);
    variants(r, out);
    embedding(r, out);
    indexes(r, out);
    latency(r, out);
    Table t = new Table("Targets (index level, in-process)", 2, "target", "measured", "result");
    for (TargetCheck c : r.targets()) {
      t.row(c.target(), c.measured(), c.met() ? "met" : "MISSED");
    }
    t.print(out);
  }

  private static void quality(RecallReport r, PrintStream out) {
    Table t =
        new Table(
            "1. Quality: each query has one relevant memory; lists " + RetrievalEval.DEPTH + " deep",
            2, "model", "method", "recall@1", "recall@10", "MRR");
    for (ModelResult m : r.models()) {
      for (RankQuality q : m.quality()) {
        t.row(m.model(), q.method(), Fmt.num(q.recallAt1(), 4), Fmt.num(q.recallAt10(), 4), Fmt.num(q.mrr(), 4));
      }
    }
    t.print(out);
  }

  private static void variants(RecallReport r, PrintStream out) {
    Table t =
        new Table(
            "2. Other fusions of the same HNSW and BM25 lists (score = wv/(K+rank_v) + wt/(K+rank_t))",
            2, "model", "fusion", "recall@1", "recall@10", "MRR");
    for (ModelResult m : r.models()) {
      for (RankQuality q : m.fusionVariants()) {
        t.row(m.model(), q.method(), Fmt.num(q.recallAt1(), 4), Fmt.num(q.recallAt10(), 4), Fmt.num(q.mrr(), 4));
      }
    }
    t.print(out);
  }

  private static void embedding(RecallReport r, PrintStream out) {
    Table t =
        new Table(
            "3. Embedding (corpus: batches of " + CorpusEmbedding.BATCH + ", one Java thread per core; queries: one thread)",
            2, "model", "model id", "load s", "memories", "seconds", "memories/s", "threads", "from cache", "queries/s");
    for (ModelResult m : r.models()) {
      t.row(
          m.model(),
          m.modelId(),
          Fmt.num(m.loadSeconds(), 2),
          Fmt.count(m.memories()),
          Fmt.num(m.embed().seconds(), 1),
          Fmt.count(m.embed().perSecond()),
          Integer.toString(m.embed().threads()),
          m.embed().cached() ? "yes (time of the run that wrote it)" : "no",
          Fmt.count(m.queryEmbedPerSecond()));
    }
    t.print(out);
  }

  private static void indexes(RecallReport r, PrintStream out) {
    Table t =
        new Table(
            "4. Indexes: one put per memory; heap after full GC; disk = the vectors at 4 bytes per dimension",
            1, "model", "memories", "BM25 build s", "HNSW build s", "BM25 heap MiB", "HNSW heap MiB",
            "vectors MiB", "cache file MiB", "HNSW recall@10 vs exact");
    for (ModelResult m : r.models()) {
      t.row(
          m.model(),
          Fmt.count(m.memories()),
          Fmt.num(m.textBuildSeconds(), 1),
          Fmt.num(m.vectorBuildSeconds(), 1),
          Fmt.num(m.textHeapMiB(), 1),
          Fmt.num(m.vectorHeapMiB(), 1),
          Fmt.num(m.vectorsMiB(), 1),
          Fmt.num(m.cacheMiB(), 1),
          Fmt.num(m.hnswRecallAt10(), 4));
    }
    t.print(out);
  }

  private static void latency(RecallReport r, PrintStream out) {
    Table t =
        new Table(
            "5. In-process recall, one thread: embed the query, HNSW and BM25 top "
                + RetrievalEval.DEPTH
                + ", fuse, keep "
                + RetrievalEval.RECALL_K
                + " ("
                + RetrievalEval.LATENCY_QUERIES
                + " after "
                + RetrievalEval.LATENCY_QUERIES / 10
                + " warm-up)",
            2, "model", "what", "memories", "p50 ms", "p99 ms", "p99.9 ms", "max ms");
    for (ModelResult m : r.models()) {
      row(t, m, "recall with query embedding", m.recallWithEmbedding());
      row(t, m, "recall, query vector given", m.recallWithoutEmbedding());
      row(t, m, "query embedding alone", m.queryEmbedding());
    }
    t.print(out);
  }

  private static void row(Table t, ModelResult m, String what, LatencyStats s) {
    t.row(
        m.model(),
        what,
        Fmt.count(m.memories()),
        Fmt.num(s.p50Ms(), 2),
        Fmt.num(s.p99Ms(), 2),
        Fmt.num(s.p999Ms(), 2),
        Fmt.num(s.maxMs(), 2));
  }
}
