package dev.mnode.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints a {@link Report} as plain-text tables. */
final class TextReport {
  private TextReport() {}

  /** Prints every section of {@code r} to {@code out}. */
  static void print(Report r, PrintStream out) {
    Plan p = r.plan();
    Machine m = r.machine();
    out.printf(
        "mnode benchmarks, %s run: %s memories (%.0f s)%n",
        p.name(), Fmt.count(p.memories()), r.seconds());
    out.printf(
        "%d cores, %s, %s GiB RAM; %s; %s%n%n",
        m.cores(), m.cpu(), Fmt.num(m.memoryGib(), 1), m.jdk(), m.os());
    writes(r, out);
    imports(r, out);
    reads(r, out);
    disk(r, out);
    coldStart(r, out);
    targets(r, out);
    for (String w : r.warnings()) {
      out.println("warning: " + w);
    }
  }

  private static void writes(Report r, PrintStream out) {
    Table t =
        new Table(
            "1-2. Durable writes: a call returns once its write-ahead-log write is synced (up to "
                + Fmt.count(r.plan().maxWrites())
                + " writes or "
                + r.plan().maxWriteSeconds()
                + " s)",
            2,
            "benchmark",
            "layer",
            "writers",
            "writes",
            "seconds",
            "writes/s",
            "p50 ms",
            "p99 ms",
            "max ms",
            "WAL syncs");
    for (WriteResult w : r.writes()) {
      t.row(
          w.benchmark(),
          w.layer(),
          Integer.toString(w.writers()),
          Fmt.count(w.writes()),
          Fmt.num(w.seconds(), 2),
          Fmt.count(w.perSecond()),
          Fmt.num(w.latency().p50Ms(), 2),
          Fmt.num(w.latency().p99Ms(), 2),
          Fmt.num(w.latency().maxMs(), 2),
          w.walSyncs() == null ? "-" : Fmt.count(w.walSyncs()));
    }
    t.print(out);
  }

  private static void imports(Report r, PrintStream out) {
    ImportResult i = r.importResult();
    new Table(
            "3. Import: generated JSON Lines (seed "
                + Corpus.SEED
                + "), no embeddings, into an empty store",
            2,
            "benchmark",
            "layer",
            "memories",
            "input MiB",
            "seconds",
            "memories/s")
        .row(
            "importJsonLines",
            i.layer(),
            Fmt.count(i.memories()),
            Fmt.num(i.inputBytes() / 1048576.0, 1),
            Fmt.num(i.seconds(), 2),
            Fmt.count(i.perSecond()))
        .print(out);
  }

  private static void reads(Report r, PrintStream out) {
    Table t =
        new Table(
            "4. Reads, one thread, store reopened after the import (up to "
                + Fmt.count(r.plan().gets())
                + " gets after "
                + Fmt.count(r.plan().getWarmup())
                + " warm-up, or "
                + r.plan().maxGetSeconds()
                + " s)",
            2,
            "benchmark",
            "layer",
            "memories",
            "reads",
            "seconds",
            "reads/s",
            "p50 us",
            "p99 us",
            "p99.9 us",
            "max us");
    for (ReadResult x : r.reads()) {
      LatencyStats l = x.latency();
      t.row(
          x.benchmark(),
          x.layer(),
          Fmt.count(x.population()),
          Fmt.count(x.reads()),
          Fmt.num(x.seconds(), 2),
          Fmt.count(x.perSecond()),
          l == null ? "-" : Fmt.micros(l.p50Ms()),
          l == null ? "-" : Fmt.micros(l.p99Ms()),
          l == null ? "-" : Fmt.micros(l.p999Ms()),
          l == null ? "-" : Fmt.micros(l.maxMs()));
    }
    t.print(out);
  }

  private static void disk(Report r, PrintStream out) {
    Table t =
        new Table(
            "5. Size on disk",
            2,
            "stage",
            "reported by",
            "memories",
            "bytes",
            "MiB",
            "bytes/memory",
            "WAL MiB",
            "tables MiB");
    for (DiskResult d : r.disk()) {
      t.row(
          d.stage(),
          d.layer(),
          Fmt.count(d.memories()),
          Fmt.count(d.bytes()),
          Fmt.num(d.mib(), 1),
          Fmt.count(d.bytesPerMemory()),
          Fmt.num(d.walBytes() / 1048576.0, 1),
          Fmt.num(d.tableBytes() / 1048576.0, 1));
    }
    t.print(out);
  }

  private static void coldStart(Report r, PrintStream out) {
    Table t =
        new Table(
            "6. Cold start: new processes on the "
                + Fmt.count(r.plan().memories())
                + "-memory store, after one warm-up run each",
            1,
            "command",
            "runs",
            "min ms",
            "median ms",
            "max ms");
    for (ProcessResult c : r.coldStart()) {
      t.row(
          c.name(),
          Integer.toString(c.runs()),
          Fmt.num(c.minMs(), 0),
          Fmt.num(c.medianMs(), 0),
          Fmt.num(c.maxMs(), 0));
    }
    ProcessResult f = r.firstOpen();
    t.row(
        f.name() + " (replays the WAL, no warm-up)",
        Integer.toString(f.runs()),
        Fmt.num(f.minMs(), 0),
        Fmt.num(f.medianMs(), 0),
        Fmt.num(f.maxMs(), 0));
    t.print(out);

    Table c =
        new Table(
            "   Classes loaded by one mnode status; bin/mnode's CDS archive: " + r.cdsArchive(),
            1,
            "run",
            "total",
            "app archive",
            "JDK archive",
            "JDK modules",
            "jars",
            "generated");
    for (ClassSources s : r.classSources()) {
      c.row(
          s.name(),
          Integer.toString(s.total()),
          Integer.toString(s.appArchive()),
          Integer.toString(s.jdkArchive()),
          Integer.toString(s.jdkModules()),
          Integer.toString(s.jars()),
          Integer.toString(s.generated()));
    }
    c.print(out);

    List<StartupPhases> configs = r.phases();
    List<String> headers = new ArrayList<>(List.of("phase (ms)"));
    configs.forEach(x -> headers.add(x.name()));
    Table p =
        new Table(
            "   Inside a cold status: the same store calls in a fresh JVM ("
                + String.join(" ", ColdStartBenchmarks.JVM_FLAGS)
                + ", no app archive), median of "
                + configs.get(0).runs(),
            1,
            headers.toArray(String[]::new));
    for (int i = 0; i < configs.get(0).phases().size(); i++) {
      List<String> row = new ArrayList<>(List.of(configs.get(0).phases().get(i).name()));
      for (StartupPhases x : configs) {
        row.add(Fmt.num(x.phases().get(i).medianMs(), 1));
      }
      p.row(row.toArray(String[]::new));
    }
    List<String> total = new ArrayList<>(List.of("total (median process wall time)"));
    configs.forEach(x -> total.add(Fmt.num(x.totalMs(), 1)));
    p.row(total.toArray(String[]::new));
    p.print(out);
  }

  private static void targets(Report r, PrintStream out) {
    String title =
        r.plan().name().equals("full")
            ? "Targets"
            : "Targets (a "
                + r.plan().name()
                + " run is only indicative: they are set for the full run)";
    Table t = new Table(title, 3, "target", "measured", "result");
    for (TargetCheck c : r.targets()) {
      t.row(c.target(), c.measured(), c.met() ? "met" : "MISSED");
    }
    t.print(out);
  }
}
