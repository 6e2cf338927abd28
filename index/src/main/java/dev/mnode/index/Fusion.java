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
 * Hybrid ranking: reciprocal-rank fusion of the vector and word result lists, then a gentle
 * re-weighting by recency and importance; pinned memories first among equal scores.
 *
 * <pre>
 * rrf     = sum over lists of 1 / (K + rank), rank from 1; K = 60 (Cormack et al., 2009)
 * recency = 2^(-age / half-life), half-life 90 days
 * score   = rrf * (1 + 0.1 * recency + 0.2 * (importance - 0.5))
 * </pre>
 *
 * The constants are first choices, to be set by the retrieval evaluation. Stateless.
 */
public final class Fusion {
  public static final int RRF_K = 60;
  public static final Duration HALF_LIFE = Duration.ofDays(90);
  public static final double RECENCY_WEIGHT = 0.1;
  public static final double IMPORTANCE_WEIGHT = 0.2;

  private Fusion() {}

  /** What ranking needs to know of a memory besides its text. */
  public record Facts(double importance, Instant created, boolean pinned) {}

  /**
   * One ranked memory with every part of its score, for {@code --explain}.
   *
   * @param vectorRank rank in the vector list from 1, or 0 when absent
   * @param textRank rank in the word list from 1, or 0 when absent
   */
  public record Ranked(
      String id, double score, double rrf, int vectorRank, int textRank, double recency, double importance, boolean pinned) {}

  /**
   * Fuses {@code vector} and {@code text} (each best first) and returns the best {@code k}. Ids
   * for which {@code facts} is empty (filtered out, or gone) are dropped.
   */
  public static List<Ranked> rank(
      List<Hit> vector, List<Hit> text, Function<String, Optional<Facts>> facts, Instant now, int k) {
    Map<String, int[]> ranks = new HashMap<>();
    for (int i = 0; i < vector.size(); i++) {
      ranks.computeIfAbsent(vector.get(i).id(), x -> new int[2])[0] = i + 1;
    }
    for (int i = 0; i < text.size(); i++) {
      ranks.computeIfAbsent(text.get(i).id(), x -> new int[2])[1] = i + 1;
    }
    List<Ranked> out = new ArrayList<>(ranks.size());
    for (Map.Entry<String, int[]> e : ranks.entrySet()) {
      Optional<Facts> f = facts.apply(e.getKey());
      if (f.isEmpty()) {
        continue;
      }
      int[] r = e.getValue();
      double rrf = (r[0] > 0 ? 1.0 / (RRF_K + r[0]) : 0) + (r[1] > 0 ? 1.0 / (RRF_K + r[1]) : 0);
      double ageDays = Math.max(0, Duration.between(f.get().created(), now).toMillis() / 86_400_000.0);
      double recency = Math.pow(2, -ageDays / HALF_LIFE.toDays());
      double importance = f.get().importance();
      double score = rrf * (1 + RECENCY_WEIGHT * recency + IMPORTANCE_WEIGHT * (importance - 0.5));
      out.add(new Ranked(e.getKey(), score, rrf, r[0], r[1], recency, importance, f.get().pinned()));
    }
    out.sort(
        Comparator.comparingDouble(Ranked::score)
            .reversed()
            .thenComparing(Ranked::pinned, Comparator.reverseOrder())
            .thenComparing(Ranked::id));
    return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
  }
}
