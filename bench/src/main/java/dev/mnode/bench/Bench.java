package dev.mnode.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnode.node.Home;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Entry point of {@code bin/bench}: runs every benchmark in a scratch directory that it deletes
 * afterwards, reports progress on stderr and prints the results on stdout as tables, or with {@code
 * --json} as one JSON document.
 */
public final class Bench {
  private static final int STEPS = 7;

  private final Plan plan;
  private final Checkout checkout;
  private int step;

  private Bench(Plan plan, Checkout checkout) {
    this.plan = plan;
    this.checkout = checkout;
  }

  /** Runs the benchmarks; see {@link BenchOptions#USAGE}. Exits 2 on a bad argument. */
  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("sync")) {
      SyncBench.run(System.out, args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      return;
    }
    if (args.length >= 1 && args[0].equals("p2p")) {
      PeerSyncBench.run(System.out, args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      return;
    }
    if (args.length >= 1 && args[0].equals("relay")) {
      RelayBench.run(System.out, args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      return;
    }
    if (args.length >= 1 && args[0].equals("rekey")) {
      RekeyBench.run(System.out, args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      return;
    }
    if (args.length >= 1 && args[0].equals("backup")) {
      BackupBench.run(System.out, args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      return;
    }
    if (args.length == 1 && args[0].equals("recall-node")) {
      RecallNodeBench.run(System.out, Checkout.locate().root());
      return;
    }
    if (args.length >= 1 && args[0].equals("api")) {
      api(Arrays.asList(args).subList(1, args.length));
      return;
    }
    if (args.length == 1 && args[0].equals("bundles")) {
      BundleBench.run(System.out);
      return;
    }
    if (args.length >= 1 && args[0].equals("recall")) {
      recall(Arrays.asList(args).subList(1, args.length));
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    Report report = new Bench(options.plan(), Checkout.locate()).run();
    if (options.json()) {
      System.out.println(toJson(report));
    } else {
      TextReport.print(report, System.out);
    }
  }

  /** Returns {@code report} as an indented JSON document. */
  static String toJson(Object report) throws JsonProcessingException {
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
  }

  /** {@code bin/bench recall}; see {@link RecallOptions#USAGE}. Exits 2 on a bad argument. */
  private static void recall(List<String> args) throws Exception {
    RecallOptions options;
    try {
      options = RecallOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(RecallOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(RecallOptions.USAGE);
      return;
    }
    Path cache = Checkout.locate().root().resolve("bench/target/recall-cache");
    RecallReport report = RecallBench.run(options, cache);
    if (options.json()) {
      System.out.println(toJson(report));
    } else {
      RecallTextReport.print(report, System.out);
    }
  }

  /** {@code bin/bench api}; see {@link ApiOptions#USAGE}. Exits 2 on a bad argument. */
  private static void api(List<String> args) throws Exception {
    ApiOptions options;
    try {
      options = ApiOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.print(ApiOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(ApiOptions.USAGE);
      return;
    }
    ApiBench.run(options, Checkout.locate(), System.out);
  }

  private Report run() throws Exception {
    long t0 = System.nanoTime();
    Machine machine = Machine.detect();
    Path scratch = Files.createTempDirectory("mnode-bench-");
    try {
      ColdStartBenchmarks cold = new ColdStartBenchmarks(plan, checkout, scratch);
      StoreBenchmarks store = new StoreBenchmarks(plan);
      Home home = new Home(scratch.resolve("home"));

      step("preparing bin/mnode (builds the CLI if it is stale)");
      cold.prepare();
      step("durable writes, 1 and 4 writers");
      List<WriteResult> writes = store.writes(scratch);
      step("importing " + Fmt.count(plan.memories()) + " memories");
      StoreBenchmarks.Imported imported = store.importCorpus(home);
      step("first mnode status after the import");
      ProcessResult firstOpen = cold.firstOpen(home);
      step("reads");
      List<ReadResult> reads = store.reads(home);
      step("compaction");
      DiskResult compacted = store.compact(home);
      step("cold starts");
      List<ProcessResult> commands = cold.commands(home);
      List<ClassSources> classes = cold.classSources(home);
      List<StartupPhases> phases = cold.phases(home);

      List<TargetCheck> targets =
          Targets.check(
              imported.result(),
              find(reads, x -> x.layer().equals(StoreBenchmarks.SERVICE) && x.latency() != null),
              find(commands, c -> c.name().equals("mnode status")));
      List<String> warnings = warnings(cold.rebuiltSincePrepare(), writes, reads);
      return new Report(
          plan,
          machine,
          writes,
          imported.result(),
          reads,
          List.of(imported.disk(), compacted),
          firstOpen,
          commands,
          classes,
          cold.cdsArchive(classes.get(0)),
          phases,
          targets,
          warnings,
          Fmt.round((System.nanoTime() - t0) / 1e9, 1));
    } finally {
      delete(scratch);
    }
  }

  private void step(String what) {
    System.err.printf("bench: [%d/%d] %s%n", ++step, STEPS, what);
  }

  private static List<String> warnings(
      boolean rebuilt, List<WriteResult> writes, List<ReadResult> reads) {
    List<String> out = new ArrayList<>();
    if (rebuilt) {
      out.add("bin/mnode rebuilt the CLI during the timed runs (sources changed): run again");
    }
    for (WriteResult w : writes) {
      if (w.stoppedByTime()) {
        out.add(
            w.benchmark() + " (" + w.layer() + ", " + w.writers() + " writers) hit its time bound");
      }
    }
    for (ReadResult x : reads) {
      if (x.stoppedByTime()) {
        out.add(x.benchmark() + " (" + x.layer() + ") hit its time bound");
      }
    }
    return out;
  }

  private static <T> T find(List<T> list, Predicate<T> p) {
    return list.stream().filter(p).findFirst().orElseThrow();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
