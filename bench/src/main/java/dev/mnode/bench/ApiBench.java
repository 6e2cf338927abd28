package dev.mnode.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.bench.wordnet.EvalQuery;
import dev.mnode.bench.wordnet.EvalSet;
import dev.mnode.bench.wordnet.WordNet;
import dev.mnode.node.access.OwnerCredential;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/bench api}: recall through the local HTTP API of a real {@code mnode serve} process
 * under concurrent clients, and the cold time of CLI commands that go through that running node
 * against the same commands opening the store themselves. The node serves a copy of a home (by
 * default the 117,659-memory home of {@code bin/bench recall-node}), deleted afterwards.
 */
final class ApiBench {
  static final double TARGET_P99_MS = 50;
  private static final Duration WARMUP = Duration.ofSeconds(10);
  private static final int COLD_WARMUPS = 1;
  private static final int COLD_RUNS = 5;
  private static final int QUERIES = 2_000;

  private ApiBench() {}

  static void run(ApiOptions options, Checkout checkout, PrintStream out) throws Exception {
    Path source = options.home().orElse(checkout.root().resolve("bench/target/recall-node-home"));
    if (!Files.isDirectory(source.resolve("store"))) {
      throw new IllegalStateException(
          "no home at " + source + ": build the 117,659-memory one with bin/bench recall-node "
              + "(once; it embeds and indexes the corpus), or give --home DIR");
    }
    List<String> queries = queries();
    Path scratch = Files.createTempDirectory("mnode-bench-api-");
    try {
      Path home = scratch.resolve("home");
      System.err.println("bench: copying " + source + " to a scratch home");
      copy(source, home);
      raiseRateLimit(home);
      ProcessTimer timer = new ProcessTimer(Duration.ofMinutes(2), scratch, Map.of(home.toString(), "HOME", checkout.root() + "/", ""));
      // A CLI build or class-data training happens here, not in a timed run.
      timer.run(new ProcessTimer.Command("version", List.of(checkout.mnode().toString(), "--version"), Map.of()), false);
      List<ProcessTimer.Command> cli = cliCommands(checkout, home, queries.get(0));

      Table load = new Table("POST /v1/recall through mnode serve (2 cores, client and node on the same machine)", 1, "what", "value");
      ApiLoad.Result result;
      List<ProcessResult> viaNode;
      System.err.println("bench: starting mnode serve");
      try (ServeProcess node = new ServeProcess(checkout.mnode(), home, scratch)) {
        load.row("start: spawn to \"listening on\"", Fmt.num(node.startMs(), 0) + " ms");
        ApiLoad gen = new ApiLoad(node.base(), OwnerCredential.read(home).orElseThrow(), queries);
        long[] first = gen.once(0);
        if (first[0] != 200) {
          throw new IllegalStateException("the first recall answered " + first[0]);
        }
        load.row("first recall after start (opens the index, loads the model)", Fmt.num(first[1] / 1e6, 0) + " ms");
        System.err.printf(Locale.ROOT, "bench: %d clients, %d s warm-up, then %d s measured%n", options.clients(), WARMUP.toSeconds(), options.seconds());
        result = gen.run(options.clients(), WARMUP, Duration.ofSeconds(options.seconds()));
        System.err.println("bench: cold CLI commands through the running node");
        viaNode = timer.time(cli, COLD_WARMUPS, COLD_RUNS);
      }
      System.err.println("bench: the same CLI commands opening the store themselves");
      List<ProcessResult> direct = timer.time(cli, COLD_WARMUPS, COLD_RUNS);

      LatencyStats l = result.latency();
      load.row("clients (each waits for its answer)", Integer.toString(result.clients()));
      load.row("measured", Fmt.num(result.seconds(), 1) + " s after " + WARMUP.toSeconds() + " s warm-up");
      load.row("answers 200", Fmt.count(result.ok()));
      load.row("other answers", result.failed().isEmpty() ? "0" : result.failed().toString());
      load.row("requests/s", Fmt.num(result.requestsPerSecond(), 1));
      load.row("latency p50", Fmt.num(l.p50Ms(), 1) + " ms");
      load.row("latency p99", Fmt.num(l.p99Ms(), 1) + " ms");
      load.row("latency p99.9 / max", Fmt.num(l.p999Ms(), 1) + " / " + Fmt.num(l.maxMs(), 1) + " ms");
      load.print(out);
      out.printf(Locale.ROOT, "target p99 < %.0f ms: %s (%.1f ms)%n%n", TARGET_P99_MS, l.p99Ms() < TARGET_P99_MS ? "met" : "MISSED", l.p99Ms());
      if (result.stoppedByCount()) {
        out.println("warning: a client filled its " + ApiLoad.MAX_PER_CLIENT + " latencies before the time was up");
      }

      Table cold = new Table("Cold CLI commands (a fresh bin/mnode process each; " + COLD_RUNS + " runs after " + COLD_WARMUPS + " warm-up)", 2, "command", "path", "min ms", "median ms", "max ms");
      for (int i = 0; i < cli.size(); i++) {
        addCold(cold, viaNode.get(i), "through the running node");
        addCold(cold, direct.get(i), "opening the store itself");
      }
      cold.print(out);
      out.println("command lines: " + String.join("; ", viaNode.stream().map(ProcessResult::command).toList()));
    } finally {
      delete(scratch);
    }
  }

  private static void addCold(Table t, ProcessResult r, String path) {
    t.row(r.name(), path, Fmt.num(r.minMs(), 0), Fmt.num(r.medianMs(), 0), Fmt.num(r.maxMs(), 0));
  }

  private static List<ProcessTimer.Command> cliCommands(Checkout checkout, Path home, String query) {
    String mnode = checkout.mnode().toString();
    String h = home.toString();
    return List.of(
        new ProcessTimer.Command("mnode status", List.of(mnode, "--home", h, "--json", "status"), Map.of()),
        new ProcessTimer.Command("mnode recall", List.of(mnode, "--home", h, "--json", "recall", "-k", "5", query), Map.of()));
  }

  /** The retrieval evaluation's queries (WordNet glosses with their head word masked). */
  private static List<String> queries() throws Exception {
    EvalSet set = EvalSet.full(WordNet.read(WordNet.DEBIAN_DIR), QUERIES);
    List<String> out = new ArrayList<>();
    for (EvalQuery q : set.queries()) {
      out.add(q.text());
    }
    return out;
  }

  /**
   * Lets the owner's token make as many calls as the load needs: the default limit (600 a minute
   * after a burst of 60) protects a desktop node from a runaway app, and would measure only 429s.
   */
  private static void raiseRateLimit(Path home) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path file = home.resolve("config.json");
    ObjectNode config = Files.exists(file) ? (ObjectNode) json.readTree(file.toFile()) : json.createObjectNode();
    ObjectNode server = config.has("server") ? (ObjectNode) config.get("server") : config.putObject("server");
    server.put("requests_per_minute", 1_000_000).put("burst", 1_000_000);
    json.writeValue(file.toFile(), config);
  }

  /** Copies the home, leaving out what belongs to a running process (its run file and lock). */
  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path rel = from.relativize(f);
        if (rel.toString().equals("node.json") || rel.getFileName().toString().equals("LOCK")) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
