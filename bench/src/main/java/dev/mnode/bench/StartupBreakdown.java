package dev.mnode.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs {@link StartupProbe} in fresh JVMs and turns its time marks into median phase times. */
final class StartupBreakdown {
  static final String LOAD_NATIVE = "load-native";
  static final String KEY_FILE = "key-file";
  static final String OPEN_STORE = "open-store";
  static final String STATUS = "status";
  static final String CLOSE = "close";

  /** Phase names in order, each ending at a mark (the first at main, the last at exit). */
  private static final Map<String, String> PHASES = phases();

  private StartupBreakdown() {}

  /**
   * Runs the probe once untimed, then {@code runs} times, and returns the median of each phase.
   *
   * @param probe the command that starts {@link StartupProbe} on the store's home; its name names
   *     the result
   */
  static StartupPhases measure(ProcessTimer timer, ProcessTimer.Command probe, int runs)
      throws IOException, InterruptedException {
    timer.run(probe, true);
    Map<String, double[]> byPhase = new LinkedHashMap<>();
    PHASES.values().forEach(name -> byPhase.put(name, new double[runs]));
    double[] totals = new double[runs];
    for (int r = 0; r < runs; r++) {
      ProcessTimer.Run run = timer.run(probe, true);
      Map<String, Long> marks = parse(run.stdout());
      marks.put("exit", run.endNanos());
      long previous = run.startNanos();
      for (Map.Entry<String, String> e : PHASES.entrySet()) {
        Long at = marks.get(e.getKey());
        if (at == null) {
          throw new IllegalStateException(
              "probe printed no mark " + e.getKey() + ": " + run.stdout());
        }
        byPhase.get(e.getValue())[r] = (at - previous) / 1e6;
        previous = at;
      }
      totals[r] = run.millis();
    }
    List<StartupPhases.Phase> phases = new ArrayList<>();
    byPhase.forEach(
        (name, ms) -> phases.add(new StartupPhases.Phase(name, Fmt.round(median(ms), 1))));
    return new StartupPhases(probe.name(), runs, phases, Fmt.round(median(totals), 1));
  }

  private static Map<String, Long> parse(String stdout) {
    Map<String, Long> marks = new HashMap<>();
    for (String line : stdout.split("\n")) {
      String[] parts = line.strip().split(" ");
      if (parts.length == 2) {
        marks.put(parts[0], Long.parseLong(parts[1]));
      }
    }
    return marks;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(sorted.length - 1) / 2];
  }

  private static Map<String, String> phases() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("main", "JVM start until main()");
    m.put(LOAD_NATIVE, "load RocksDB native library");
    m.put(KEY_FILE, "read master key file");
    m.put(OPEN_STORE, "open RocksDB store, unwrap class keys");
    m.put(STATUS, "counts and size on disk");
    m.put(CLOSE, "close store");
    m.put("exit", "JVM exit");
    return m;
  }
}
