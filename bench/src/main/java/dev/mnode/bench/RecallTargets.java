package dev.mnode.bench;

import java.util.ArrayList;
import java.util.List;

/** The retrieval goals that the index level can show, checked per model. */
final class RecallTargets {
  static final double HNSW_RECALL_AT_10 = 0.98;
  static final double RECALL_P99_MS = 25;

  private RecallTargets() {}

  /**
   * HNSW recall@10 against exact search, hybrid MRR at least the better of BM25 and vectors alone
   * (exact or HNSW), and in-process recall p99 including the query embedding.
   */
  static List<TargetCheck> check(List<ModelResult> models) {
    List<TargetCheck> out = new ArrayList<>();
    for (ModelResult m : models) {
      out.add(
          new TargetCheck(
              m.model() + ": HNSW recall@10 vs exact >= " + HNSW_RECALL_AT_10,
              Fmt.num(m.hnswRecallAt10(), 4),
              m.hnswRecallAt10() >= HNSW_RECALL_AT_10));
      double best =
          Math.max(
              m.quality(RetrievalEval.BM25).mrr(),
              Math.max(m.quality(RetrievalEval.EXACT).mrr(), m.quality(RetrievalEval.HNSW).mrr()));
      double hybrid = m.quality(RetrievalEval.HYBRID).mrr();
      out.add(
          new TargetCheck(
              m.model() + ": hybrid MRR >= best single index",
              Fmt.num(hybrid, 4) + " vs " + Fmt.num(best, 4),
              hybrid >= best));
      out.add(
          new TargetCheck(
              m.model() + ": recall p99 < " + Fmt.num(RECALL_P99_MS, 0) + " ms with query embedding",
              Fmt.num(m.recallWithEmbedding().p99Ms(), 2) + " ms (" + Fmt.count(m.memories()) + " memories)",
              m.recallWithEmbedding().p99Ms() < RECALL_P99_MS));
    }
    return out;
  }
}
