package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.bench.wordnet.EvalSet;
import dev.mnode.bench.wordnet.WordNet;
import dev.mnode.index.IndexModule;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The retrieval evaluation's CI slice (the same as {@code bin/bench recall --quick}): 2,000 WordNet
 * memories and 200 queries, the default embedder, the real indexes. The floors sit a little under
 * what this slice measured (docs/benchmarks.md, "Retrieval"); a change that makes retrieval
 * worse fails here. Needs Debian's {@code wordnet-base}, and fails without it.
 */
class RetrievalRegressionTest {
  @Test
  void defaultModelOnTheWordNetSlice_staysAboveItsFloors() throws Exception {
    assertTrue(
        Files.isRegularFile(WordNet.DEBIAN_DIR.resolve("data.noun")),
        "WordNet is missing at " + WordNet.DEBIAN_DIR + ": apt-get install wordnet-base");
    EvalSet set =
        EvalSet.full(WordNet.read(WordNet.DEBIAN_DIR), RecallBench.QUERIES)
            .slice(RecallBench.SLICE_MEMORIES, RecallBench.SLICE_QUERIES);
    ModelResult r =
        new RetrievalEval(set, 20, null, line -> {}).run("minilm", name -> IndexModule.defaultEmbedder());
    assertEquals(2_000, r.memories());
    assertEquals(200, r.queries());
    String all = r.quality() + " " + r.fusionVariants() + ", HNSW vs exact " + r.hnswRecallAt10();

    atLeast(r.quality(RetrievalEval.BM25), 0.06, 0.028, all);
    atLeast(r.quality(RetrievalEval.EXACT), 0.15, 0.077, all);
    atLeast(r.quality(RetrievalEval.HNSW), 0.15, 0.077, all);
    atLeast(r.quality(RetrievalEval.HYBRID), 0.14, 0.077, all);
    assertTrue(r.hnswRecallAt10() >= 0.98, "HNSW recall@10 vs exact: " + all);
  }

  private static void atLeast(RankQuality q, double recallAt10, double mrr, String all) {
    assertTrue(q.recallAt10() >= recallAt10, q.method() + " recall@10 " + q.recallAt10() + " < " + recallAt10 + ": " + all);
    assertTrue(q.mrr() >= mrr, q.method() + " MRR " + q.mrr() + " < " + mrr + ": " + all);
  }
}
