package dev.mnode.node.guard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The labelled set's precision and recall stay at or above the floors measured when the detectors
 * were written (docs/redaction.md has the figures and how to reproduce them).
 */
class RedactionRegressionTest {
  // Measured on 505 memories (297 clean): overall precision 1.000, recall 0.982; every type's
  // precision 1.000; recall 1.000 except phone 0.880 (22/25) and secret 0.938 (15/16).
  private static final double OVERALL_PRECISION_FLOOR = 0.98;
  private static final double OVERALL_RECALL_FLOOR = 0.96;
  /** Per type precision; each type has 6 to 25 expected spans, so one mistake costs up to 0.14. */
  private static final double TYPE_PRECISION_FLOOR = 0.95;
  /** Per type recall, where it differs from {@link #TYPE_RECALL_FLOOR}. */
  private static final Map<RedactionType, Double> RECALL_FLOORS =
      Map.of(RedactionType.PHONE, 0.85, RedactionType.GENERIC_SECRET, 0.90);
  private static final double TYPE_RECALL_FLOOR = 0.95;
  /** Clean memories in which anything at all was found; measured 0. */
  private static final int MAX_CLEAN_WITH_FINDINGS = 1;

  @Test
  void labelledSet_scoresAtOrAboveFloors() throws Exception {
    List<RedactionEvaluator.Example> examples = RedactionEvaluator.load();
    RedactionEvaluator.Result r = RedactionEvaluator.evaluate(GuardModule.redactor(), examples);
    System.out.println(RedactionEvaluator.table(r));
    r.mistakes().forEach(System.out::println);
    System.out.println("holdout only:");
    System.out.println(RedactionEvaluator.table(RedactionEvaluator.evaluate(
        GuardModule.redactor(), RedactionEvaluator.split(examples, "holdout"))));
    System.out.printf(Locale.ROOT, "throughput: %.0f memories/s (about 200 chars each)%n",
        RedactionEvaluator.throughput(GuardModule.redactor(), examples, 1));

    assertTrue(examples.size() >= 300, "the set has at least 300 memories");
    assertTrue(2 * r.cleanMemories() >= examples.size(), "at least half the set is clean");
    assertTrue(r.overall().precision() >= OVERALL_PRECISION_FLOOR,
        "overall precision " + r.overall().precision());
    assertTrue(r.overall().recall() >= OVERALL_RECALL_FLOOR, "overall recall " + r.overall().recall());
    assertTrue(r.cleanWithFindings() <= MAX_CLEAN_WITH_FINDINGS,
        r.cleanWithFindings() + " clean memories with findings");
    for (RedactionType type : RedactionType.values()) {
      RedactionEvaluator.Score s = r.byType().get(type);
      assertTrue(s.truePositives + s.falseNegatives > 0, type.id() + " has no example in the set");
      assertTrue(s.precision() >= TYPE_PRECISION_FLOOR, type.id() + " precision " + s.precision());
      double recallFloor = RECALL_FLOORS.getOrDefault(type, TYPE_RECALL_FLOOR);
      assertTrue(s.recall() >= recallFloor, type.id() + " recall " + s.recall());
    }
  }
}
