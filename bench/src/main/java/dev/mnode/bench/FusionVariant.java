package dev.mnode.bench;

import dev.mnode.index.Fusion;
import dev.mnode.index.Hit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A variant of {@link Fusion}'s reciprocal-rank fusion, tried by the evaluation against the one
 * {@code Fusion} ships: {@code score = vectorWeight / (k + vectorRank) + textWeight / (k +
 * textRank)}, ties broken by id as {@code Fusion} does. Recency and importance are left out: the
 * evaluation's memories are all equally new and important. Immutable.
 *
 * @param k the rank constant
 * @param vectorWeight weight of the vector list
 * @param textWeight weight of the word list
 */
record FusionVariant(int k, double vectorWeight, double textWeight) implements FusionRanker {
  /** The variants the evaluation reports beside {@code Fusion} itself. */
  static final List<FusionRanker> TRIED =
      List.of(
          new RelativeScore(0.5),
          new RelativeScore(0.7),
          new RelativeScore(0.9),
          new FusionVariant(10, 1, 1),
          new FusionVariant(30, 1, 1),
          new FusionVariant(60, 1, 1),
          new FusionVariant(100, 1, 1),
          new FusionVariant(60, 2, 1),
          new FusionVariant(60, 3, 1),
          new FusionVariant(60, 1, 2));

  /** A name for tables: {@code RRF K=60, vectors x2}. */
  @Override
  public String name() {
    String w =
        vectorWeight == textWeight
            ? ""
            : vectorWeight > textWeight
                ? ", vectors x" + Fmt.num(vectorWeight / textWeight, 0)
                : ", words x" + Fmt.num(textWeight / vectorWeight, 0);
    return "RRF K=" + k + w;
  }

  /** Fuses {@code vector} and {@code text} (each best first) and returns the ids, best first. */
  @Override
  public List<String> rank(List<Hit> vector, List<Hit> text) {
    Map<String, Double> score = new HashMap<>();
    for (int i = 0; i < vector.size(); i++) {
      score.merge(vector.get(i).id(), vectorWeight / (k + i + 1), Double::sum);
    }
    for (int i = 0; i < text.size(); i++) {
      score.merge(text.get(i).id(), textWeight / (k + i + 1), Double::sum);
    }
    List<Map.Entry<String, Double>> entries = new ArrayList<>(score.entrySet());
    entries.sort(
        Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    List<String> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, Double> e : entries) {
      out.add(e.getKey());
    }
    return out;
  }

  /**
   * Relative-score fusion: each list's scores scaled to 0..1 by its own minimum and maximum, then
   * {@code alpha * vector + (1 - alpha) * words}; absent from a list counts 0 there. Unlike rank
   * fusion it keeps how far apart the scores are, so a weak list moves the order less.
   */
  record RelativeScore(double alpha) implements FusionRanker {
    @Override
    public String name() {
      return "relative score, vectors " + Fmt.num(alpha, 1);
    }

    @Override
    public List<String> rank(List<Hit> vector, List<Hit> text) {
      Map<String, Double> score = new HashMap<>();
      add(score, vector, alpha);
      add(score, text, 1 - alpha);
      List<Map.Entry<String, Double>> entries = new ArrayList<>(score.entrySet());
      entries.sort(
          Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
              .thenComparing(Map.Entry.comparingByKey()));
      List<String> out = new ArrayList<>(entries.size());
      entries.forEach(e -> out.add(e.getKey()));
      return out;
    }

    private static void add(Map<String, Double> score, List<Hit> hits, double weight) {
      Fusion.scaled(hits).forEach((id, scaled) -> score.merge(id, weight * scaled, Double::sum));
    }
  }
}
