package dev.mnode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnode.bench.wordnet.EvalSet;
import dev.mnode.bench.wordnet.WordNet;
import dev.mnode.index.IndexModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/bench recall}: the retrieval evaluation on WordNet (see {@link EvalSet}), for one or
 * both in-process embedding models. Progress goes to stderr, results to stdout.
 */
final class RecallBench {
  /** Queries of the full run. */
  static final int QUERIES = 2_000;
  /** Memories and queries of the quick run and of CI's regression test. */
  static final int SLICE_MEMORIES = 2_000;
  static final int SLICE_QUERIES = 200;

  private RecallBench() {}

  /** Runs the evaluation {@code options} ask for and returns what it measured. */
  static RecallReport run(RecallOptions options, Path cacheDir) throws Exception {
    long t0 = System.nanoTime();
    Machine machine = Machine.detect();
    log("reading WordNet from " + WordNet.DEBIAN_DIR);
    WordNet wordnet = WordNet.read(WordNet.DEBIAN_DIR);
    EvalSet set = EvalSet.full(wordnet, QUERIES);
    if (options.quick()) {
      set = set.slice(SLICE_MEMORIES, SLICE_QUERIES);
    }
    String corpus =
        "WordNet 3.0 (Debian wordnet-base), "
            + Fmt.count(set.memories().size())
            + " synset definitions as memories, "
            + Fmt.count(set.queries().size())
            + " masked example sentences as queries (seed "
            + EvalSet.SEED
            + ")";
    RetrievalEval eval = new RetrievalEval(set, RetrievalEval.LATENCY_QUERIES, cacheDir, RecallBench::log);
    List<ModelResult> results = new ArrayList<>();
    for (String model : options.models()) {
      ModelResult result = eval.run(model, IndexModule::embedder);
      // Each model's numbers as soon as they exist: a long run stopped later still leaves them.
      log(model + " done: " + new ObjectMapper().writeValueAsString(result));
      results.add(result);
      System.gc();
    }
    return new RecallReport(
        options.quick() ? "quick" : "full",
        machine,
        corpus,
        results,
        RecallTargets.check(results),
        Fmt.round((System.nanoTime() - t0) / 1e9, 1));
  }

  static void log(String line) {
    System.err.println("bench: recall: " + line);
  }
}
