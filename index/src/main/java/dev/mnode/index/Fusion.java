package dev.mnode.index;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Hybrid ranking: relative-score fusion of the vector and word result lists, then a gentle
 * re-weighting by recency and importance; pinned memories first among equal scores.
 *
 * <pre>
 * each list's scores are scaled to 0..1 by that list's own minimum and maximum (cosine for
 * vectors, BM25 for words); a memory absent from a list counts 0 there
 * fused   = 0.8 * vector + 0.2 * words
 * age     = now - max(created, last recalled on this device)
 * recency = 2^(-age / half-life), half-life 90 days unless configured; 1 for a pinned memory
 * use     = min(1, log2(1 + times recalled) / log2(1 + 32))
 * score   = fused * (1 + 0.1 * recency + 0.2 * (importance - 0.5) + 0.05 * use)
 * </pre>
 *
 * Chosen by the WordNet evaluation (docs/benchmarks.md): reciprocal-rank fusion lets a weak
 * list's misses push the strong list's hits down, whatever its K or weights; scaled scores keep
 * how far apart the candidates are, so an uninformative word list moves the order little while a
 * query with a rare literal word (a name, a code) still lifts the memories that contain it.
 * Stateless.
 */
public final class Fusion {
  /** Weight of the vector list; the word list gets the rest. */
  public static final double VECTOR_WEIGHT = 0.8;
  public static final Duration HALF_LIFE = Duration.ofDays(90);
  public static final double RECENCY_WEIGHT = 0.1;
  public static final double IMPORTANCE_WEIGHT = 0.2;
  /** Weight of how often a memory was recalled: at most a twentieth of its fused score. */
  public static final double USE_WEIGHT = 0.05;
  /** Recalls past which using a memory more adds nothing. */
  public static final int USE_SATURATION = 32;

  private Fusion() {}

  /** What ranking needs to know of a memory besides its text. */
  public record Facts(double importance, Instant created, boolean pinned) {}

  /**
   * How one device used a memory: times it was recalled or read, and when last ({@link
   * Instant#EPOCH} when never).
   */
  public record Use(long count, Instant last) {
    public static final Use NEVER = new Use(0, Instant.EPOCH);

    public Use {
      if (count < 0) {
        throw new IllegalArgumentException("use count is negative: " + count);
      }
      java.util.Objects.requireNonNull(last);
    }
  }

  /**
   * How age and use weigh in: the recency half-life, and each memory's {@link Use} on this device.
   *
   * @param use called once per candidate; returns {@link Use#NEVER} for a memory never used
   */
  public record Aging(Duration halfLife, Function<String, Use> use) {
    /** The 90-day half-life, with no use recorded. */
    public static final Aging DEFAULT = new Aging(HALF_LIFE, id -> Use.NEVER);

    public Aging {
      if (halfLife.isNegative() || halfLife.isZero()) {
        throw new IllegalArgumentException("half-life must be positive: " + halfLife);
      }
      java.util.Objects.requireNonNull(use);
    }
  }

  /**
   * One ranked memory with every part of its score, for {@code --explain}.
   *
   * @param fused the weighted sum of the two scaled scores
   * @param vectorRank rank in the vector list from 1, or 0 when absent
   * @param vectorScore its scaled vector score, 0..1 (0 when absent)
   * @param textRank rank in the word list from 1, or 0 when absent
   * @param textScore its scaled word score, 0..1 (0 when absent)
   */
  public record Ranked(
      String id,
      double score,
      double fused,
      int vectorRank,
      double vectorScore,
      int textRank,
      double textScore,
      double recency,
      double importance,
      boolean pinned,
      long uses) {}

  /**
   * Fuses {@code vector} and {@code text} (each best first) and returns the best {@code k}. Ids
   * for which {@code facts} is empty (filtered out, or gone) are dropped, and do not count in the
   * scaling either.
   */
  public static List<Ranked> rank(
      List<Hit> vector, List<Hit> text, Function<String, Optional<Facts>> facts, Instant now, int k) {
    return rank(vector, text, facts, now, k, Aging.DEFAULT);
  }

  /** As {@link #rank(List, List, Function, Instant, int)}, with age and use weighed as {@code aging} says. */
  public static List<Ranked> rank(
      List<Hit> vector, List<Hit> text, Function<String, Optional<Facts>> facts, Instant now, int k, Aging aging) {
    Map<String, Optional<Facts>> known = new HashMap<>();
    Function<String, Optional<Facts>> lookup = id -> known.computeIfAbsent(id, facts);
    List<Hit> v = vector.stream().filter(h -> lookup.apply(h.id()).isPresent()).toList();
    List<Hit> t = text.stream().filter(h -> lookup.apply(h.id()).isPresent()).toList();
    Map<String, double[]> parts = new HashMap<>(); // vector rank, vector score, text rank, text score
    scale(v, parts, 0);
    scale(t, parts, 2);
    List<Ranked> out = new ArrayList<>(parts.size());
    for (Map.Entry<String, double[]> e : parts.entrySet()) {
      Facts f = lookup.apply(e.getKey()).orElseThrow();
      double[] p = e.getValue();
      double fused = VECTOR_WEIGHT * p[1] + (1 - VECTOR_WEIGHT) * p[3];
      Use use = aging.use().apply(e.getKey());
      Instant fresh = use.last().isAfter(f.created()) ? use.last() : f.created();
      double ageMillis = Math.max(0, Duration.between(fresh, now).toMillis());
      double recency = f.pinned() ? 1 : Math.pow(2, -ageMillis / aging.halfLife().toMillis());
      double used = Math.min(1, Math.log1p(use.count()) / Math.log1p(USE_SATURATION));
      double importance = f.importance();
      double score =
          fused * (1 + RECENCY_WEIGHT * recency + IMPORTANCE_WEIGHT * (importance - 0.5) + USE_WEIGHT * used);
      out.add(new Ranked(
          e.getKey(), score, fused, (int) p[0], p[1], (int) p[2], p[3], recency, importance, f.pinned(), use.count()));
    }
    out.sort(
        Comparator.comparingDouble(Ranked::score)
            .reversed()
            .thenComparing(Ranked::pinned, Comparator.reverseOrder())
            .thenComparing(Ranked::id));
    return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
  }

  /** Records each hit's rank and its score scaled to 0..1 within the list, at {@code at}. */
  private static void scale(List<Hit> hits, Map<String, double[]> parts, int at) {
    int rank = 0;
    for (Map.Entry<String, Double> e : scaled(hits).entrySet()) {
      double[] p = parts.computeIfAbsent(e.getKey(), x -> new double[4]);
      p[at] = ++rank;
      p[at + 1] = e.getValue();
    }
  }

  /**
   * Each hit's score scaled to 0..1 by the list's own minimum and maximum (1 for all when they
   * are equal), in list order; an id repeated in the list keeps its first score.
   */
  public static Map<String, Double> scaled(List<Hit> hits) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    if (hits.isEmpty()) {
      return out;
    }
    double max = hits.stream().mapToDouble(Hit::score).max().orElse(0);
    double min = hits.stream().mapToDouble(Hit::score).min().orElse(0);
    double span = max - min;
    for (Hit h : hits) {
      out.putIfAbsent(h.id(), span > 0 ? (h.score() - min) / span : 1);
    }
    return out;
  }
}
