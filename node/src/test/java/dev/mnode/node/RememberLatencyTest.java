package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.classify.ClassMetadata;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What classification adds to remember, in one process with the model loaded: the same texts
 * remembered with a class and without one (docs/classification.md records the figures).
 */
class RememberLatencyTest {
  static final int CALLS = 300;
  static final List<String> TEXTS = List.of(
      "Dentist appointment on Thursday at 8:30 with Dr. Keller.",
      "We chose Postgres for the billing service.",
      "Monthly rent is 1,450 euros, paid on the first.",
      "My sister's wedding is in Lisbon in September.",
      "Prefers answers in metric units.");

  @TempDir Path tmp;

  @Test
  void rememberWithoutClass_isClassified_andItsCostIsMeasured() throws Exception {
    try (MemoryService svc = NodeTestSupport.init(tmp, "home", new TestClock("2026-11-26T10:00:00Z"))) {
      // Warm up: load the model and the prototypes once, as a running node has.
      svc.remember(MemoryDraft.of("warm up"), true);
      long[] named = new long[CALLS];
      long[] auto = new long[CALLS];
      int classified = 0;
      for (int i = 0; i < CALLS; i++) {
        String text = TEXTS.get(i % TEXTS.size()) + " (" + i + ")";
        long t0 = System.nanoTime();
        svc.remember(new MemoryDraft(text, "other", List.of(), null, null, false, Map.of(), List.of()), true);
        long t1 = System.nanoTime();
        Remembered r = svc.remember(MemoryDraft.of(text), true);
        long t2 = System.nanoTime();
        named[i] = t1 - t0;
        auto[i] = t2 - t1;
        classified += ClassMetadata.source(r.memory()).equals(ClassMetadata.AUTO) ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "remember, %d calls each: named class %s; no class %s%n", CALLS, stats(named), stats(auto));
      assertEquals(CALLS, classified, "every remember without a class was classified");
      assertTrue(svc.status().count() >= 2L * CALLS);
    }
  }

  private static String stats(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0) / 1e6;
    return String.format(Locale.ROOT, "mean %.2f ms, p50 %.2f ms, p99 %.2f ms", mean, s[s.length / 2] / 1e6, s[s.length * 99 / 100] / 1e6);
  }
}
