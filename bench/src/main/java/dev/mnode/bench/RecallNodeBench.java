package dev.mnode.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.bench.wordnet.EvalQuery;
import dev.mnode.bench.wordnet.EvalSet;
import dev.mnode.bench.wordnet.WordNet;
import dev.mnode.crypto.Argon2Params;
import dev.mnode.index.Embedder;
import dev.mnode.index.IndexException;
import dev.mnode.index.LazyEmbedder;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.PassphraseSource;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.RecallQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/bench recall-node}: the node itself at the full WordNet corpus (117,659 memories):
 * a real home (store, sealed recall index), then the time from starting a node process to its
 * first answer ({@code mnode recall} in a fresh JVM), the same in process, and {@code recall}
 * latency through the node's API. The home is built once into {@code bench/target/} and reused;
 * building it embeds every memory, taking the vectors from the evaluation's cache when it has
 * them (they are what the same model computes).
 */
final class RecallNodeBench {
  private static final int QUERIES = 1_000;
  private static final int COLD_RUNS = 5;

  private RecallNodeBench() {}

  static void run(PrintStream out, Path repo) throws Exception {
    WordNet wordnet = WordNet.read(WordNet.DEBIAN_DIR);
    EvalSet set = EvalSet.full(wordnet, 2_000);
    Path home = repo.resolve("bench/target/recall-node-home");
    Path built = home.resolve(".built");
    if (!Files.exists(built)) {
      build(set, home, repo.resolve("bench/target/recall-cache"));
      Files.writeString(built, "ok\n");
    }
    List<String> queries = new ArrayList<>();
    for (EvalQuery q : set.queries()) {
      queries.add(q.text());
    }
    Table t = new Table("Recall through the node, " + Fmt.count(set.memories().size()) + " memories (2 cores)", 1, "what", "p50 ms", "p99 ms", "runs");
    // A fresh process: JVM start, open the store, load the sealed index, load the model, answer.
    long[] cold = new long[COLD_RUNS];
    Path launcher = repo.resolve("bin/mnode");
    runCli(launcher, home, queries.get(0)); // builds the jar and the class-data archive if needed
    for (int i = 0; i < COLD_RUNS; i++) {
      long t0 = System.nanoTime();
      runCli(launcher, home, queries.get(i + 1));
      cold[i] = System.nanoTime() - t0;
    }
    LatencyStats c = LatencyStats.of(cold, COLD_RUNS);
    t.row("start a node process to its first answer (mnode recall)", Fmt.num(c.p50Ms(), 0), Fmt.num(c.maxMs(), 0), Integer.toString(COLD_RUNS));
    // In process: open the home, load the index, answer once; then the latency of recall.
    long o0 = System.nanoTime();
    try (MemoryService svc = NodeModule.open(new Home(home), PassphraseSource.NONE, Clock.systemUTC(), w -> System.err.println("bench: " + w))) {
      svc.recall(RecallQuery.of(queries.get(0)), ProgressListener.NONE);
      double openMs = (System.nanoTime() - o0) / 1e6;
      t.row("in process: open the home to the first answer", Fmt.num(openMs, 0), "", "1");
      for (int i = 0; i < 100; i++) {
        svc.recall(RecallQuery.of(queries.get(i % queries.size())), ProgressListener.NONE);
      }
      long[] nanos = new long[QUERIES];
      for (int i = 0; i < QUERIES; i++) {
        long q0 = System.nanoTime();
        svc.recall(RecallQuery.of(queries.get((i + 100) % queries.size())), ProgressListener.NONE);
        nanos[i] = System.nanoTime() - q0;
      }
      LatencyStats l = LatencyStats.of(nanos, QUERIES);
      t.row("in process: recall (embed the query, search, fuse, read 10 memories)", Fmt.num(l.p50Ms(), 1), Fmt.num(l.p99Ms(), 1), Integer.toString(QUERIES));
    }
    t.print(out);
    out.printf(Locale.ROOT, "index file %,d bytes; store %s%n", Files.size(home.resolve("index.sealed")), home.resolve("store"));
  }

  private static void runCli(Path launcher, Path home, String query) throws Exception {
    Process p =
        new ProcessBuilder(launcher.toString(), "--home", home.toString(), "recall", "-k", "5", "--json", query)
            .redirectErrorStream(false)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("mnode recall failed with exit " + p.exitValue());
    }
  }

  /** Imports the corpus into a new home and builds its recall index. */
  private static void build(EvalSet set, Path home, Path cacheDir) throws Exception {
    if (Files.exists(home)) {
      try (var s = Files.walk(home)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    NodeModule.init(new Home(home), null, Argon2Params.DEFAULT, Clock.systemUTC()).close();
    List<String> texts = set.memoryTexts();
    ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
    for (String text : texts) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode().put("text", text).put("class", "other").put("source", "wordnet");
      jsonl.write(MemoryJson.MAPPER.writeValueAsBytes(o));
      jsonl.write('\n');
    }
    Embedder model = LazyEmbedder.minilm();
    float[][] vectors = CorpusEmbedding.embed(model, texts, cacheDir, m -> System.err.println("bench: " + m)).vectors();
    Map<String, float[]> byText = new HashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      byText.put(texts.get(i), vectors[i]);
    }
    Embedder cached =
        new Embedder() {
          @Override
          public String modelId() {
            return model.modelId();
          }

          @Override
          public int dimensions() {
            return model.dimensions();
          }

          @Override
          public List<float[]> embed(List<String> batch) throws IndexException {
            List<float[]> out = new ArrayList<>(batch.size());
            for (String s : batch) {
              float[] v = byText.get(s);
              out.add(v != null ? v.clone() : model.embed(List.of(s)).get(0));
            }
            return out;
          }

          @Override
          public List<float[]> embedQueries(List<String> q) throws IndexException {
            return model.embedQueries(q);
          }
        };
    byte[] bytes = jsonl.toByteArray();
    try (MemoryService svc = NodeModule.open(new Home(home), PassphraseSource.NONE, Clock.systemUTC(), w -> {}, cached)) {
      System.err.println("bench: importing " + Fmt.count(texts.size()) + " memories");
      svc.importJsonLines(new ByteArrayInputStream(bytes), bytes.length, ProgressListener.NONE, true);
      System.err.println("bench: building the recall index");
      long t0 = System.nanoTime();
      svc.reindex((phase, done, total) -> {
        if (done % 10_000 == 0) {
          System.err.printf(Locale.ROOT, "bench: %s %,d / %,d%n", phase, done, total);
        }
      });
      System.err.printf(Locale.ROOT, "bench: index built in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }
  }
}
