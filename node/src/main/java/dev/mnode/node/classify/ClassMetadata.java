package dev.mnode.node.classify;

import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata keys that record where a memory's class came from:
 *
 * <ul>
 *   <li>{@code class_source}: {@code auto} when the classifier chose it, {@code review} when a
 *       person confirmed or changed it in review; absent when the writer named the class.
 *   <li>{@code class_confidence}: the classifier's confidence, {@code 0.00} to {@code 1.00}
 *       (auto only).
 *   <li>{@code review}: {@code class} while the class waits for a person's review (the
 *       classifier was not sure and fell back to {@code other}).
 *   <li>{@code class_proposed}: what the classifier proposed, while in review.
 * </ul>
 *
 * Only memories whose class a person chose serve as examples for later proposals ({@link
 * #isExample}), so that the classifier never learns from its own guesses. Immutable.
 */
public final class ClassMetadata {
  public static final String SOURCE = "class_source";
  public static final String CONFIDENCE = "class_confidence";
  public static final String REVIEW = "review";
  public static final String PROPOSED = "class_proposed";
  public static final String AUTO = "auto";
  public static final String BY_REVIEW = "review";
  /** What {@code class_source} is reported as when the writer named the class. */
  public static final String USER = "user";
  /** The value of {@link #REVIEW} for a class waiting for review. */
  public static final String REVIEW_CLASS = "class";

  private ClassMetadata() {}

  /** Where the class of {@code m} came from: auto, review or user. */
  public static String source(Memory m) {
    String s = m.metadata().get(SOURCE);
    return s == null || s.isEmpty() ? USER : s;
  }

  /** The classifier's confidence in the class of {@code m}; 1.0 when a person chose it. */
  public static double confidence(Memory m) {
    if (!source(m).equals(AUTO)) {
      return 1.0;
    }
    try {
      return Double.parseDouble(m.metadata().getOrDefault(CONFIDENCE, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether the class of {@code m} waits for a person's review. */
  public static boolean flagged(Memory m) {
    return REVIEW_CLASS.equals(m.metadata().get(REVIEW));
  }

  /** The class the classifier proposed for a memory in review. */
  public static Optional<String> proposed(Memory m) {
    return Optional.ofNullable(m.metadata().get(PROPOSED)).filter(s -> !s.isEmpty());
  }

  /**
   * Whether a person chose the class of {@code m}: confirmed in review, or named by the writer.
   * A memory of class {@code other} with no record is left out: before automatic classification
   * that was also the default for a memory written without a class.
   */
  public static boolean isExample(Memory m) {
    String s = m.metadata().get(SOURCE);
    if (s == null || s.isEmpty()) {
      return !m.memoryClass().equals(MemoryClass.OTHER);
    }
    return s.equals(BY_REVIEW) || s.equals(USER);
  }

  /** The metadata a proposal leaves on a memory: source, confidence, and the review flag when unsure. */
  public static Map<String, String> of(Proposal p, boolean sure) {
    String confidence = String.format(Locale.ROOT, "%.2f", p.confidence());
    return sure
        ? Map.of(SOURCE, AUTO, CONFIDENCE, confidence)
        : Map.of(SOURCE, AUTO, CONFIDENCE, confidence, REVIEW, REVIEW_CLASS, PROPOSED, p.memoryClass());
  }

  /**
   * The metadata changes when a person sets a class: the review flag and proposal go; the source
   * becomes {@code review} when {@code reviewed}, else is cleared (the writer named it). Empty
   * values remove keys, as in a patch.
   */
  public static Map<String, String> chosen(boolean reviewed) {
    return Map.of(SOURCE, reviewed ? BY_REVIEW : "", CONFIDENCE, "", REVIEW, "", PROPOSED, "");
  }
}
