package dev.mnode.node.classify;

import dev.mnode.index.Embedder;
import dev.mnode.index.IndexException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proposes a class for a memory from the embedding of its text, on this device and offline.
 *
 * <p>Each candidate class gets a score: the cosine similarity of the text to the centroid of the
 * class's prototype sentences ({@link Prototypes}), blended with how close the text is to the
 * user's own examples of that class (the mean similarity of its nearest few examples). The blend
 * gives the examples more weight the more there are of them, up to {@link
 * Settings#maxExampleWeight}. A softmax over the scores at {@link Settings#temperature} turns them
 * into confidences.
 *
 * <p>Thread-safe: prototype centroids are computed once per class and cached.
 */
public final class Classifier {
  /**
   * How scores become a proposal.
   *
   * @param temperature softmax temperature over cosine scores; lower is more decisive
   * @param threshold confidence below which a proposal needs a person's review
   * @param neighbours how many nearest examples of a class count towards its score
   * @param examplesForHalfWeight examples of a class at which they weigh half of {@code
   *     maxExampleWeight}
   * @param maxExampleWeight the most the examples may weigh against the prototypes, in [0, 1]
   */
  public record Settings(
      double temperature, double threshold, int neighbours, int examplesForHalfWeight, double maxExampleWeight) {
    public Settings {
      if (!(temperature > 0) || !(threshold >= 0 && threshold <= 1) || neighbours < 1 || examplesForHalfWeight < 1
          || !(maxExampleWeight >= 0 && maxExampleWeight <= 1)) {
        throw new IllegalArgumentException("invalid classifier settings: " + this);
      }
    }

    /** The settings chosen by measurement on the labelled set (docs/classification.md). */
    public static final Settings DEFAULT = new Settings(0.03, 0.5, 3, 5, 0.5);

    public Settings withThreshold(double t) {
      return new Settings(temperature, t, neighbours, examplesForHalfWeight, maxExampleWeight);
    }
  }

  private final Embedder embedder;
  private final Settings settings;
  private final Map<String, float[]> centroids = new ConcurrentHashMap<>();

  public Classifier(Embedder embedder, Settings settings) {
    this.embedder = embedder;
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** The embedding of {@code text}, as the recall index stores it. */
  public float[] embed(String text) throws IndexException {
    return embedder.embed(List.of(text)).get(0);
  }

  /** The embeddings of {@code texts}, in one model call, as the recall index stores them. */
  public List<float[]> embedAll(List<String> texts) throws IndexException {
    return texts.isEmpty() ? List.of() : embedder.embed(texts);
  }

  /**
   * Proposes one of {@code candidates} for a text whose embedding is {@code vector}, helped by
   * {@code examples} (those of classes outside the candidates are ignored).
   *
   * @throws IllegalArgumentException if there is no candidate
   * @throws IndexException if the model fails while embedding prototypes
   */
  public Proposal propose(float[] vector, Collection<String> candidates, Collection<Example> examples)
      throws IndexException {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no class to propose");
    }
    ensureCentroids(candidates);
    SortedMap<String, Double> scores = new TreeMap<>();
    for (String c : candidates) {
      double proto = dot(vector, centroids.get(c));
      List<Example> own = new ArrayList<>();
      for (Example e : examples) {
        if (e.memoryClass().equals(c)) {
          own.add(e);
        }
      }
      double score = proto;
      if (!own.isEmpty()) {
        double w = settings.maxExampleWeight() * own.size() / (own.size() + settings.examplesForHalfWeight());
        score = (1 - w) * proto + w * nearestMean(vector, own);
      }
      scores.put(c, score);
    }
    return softmax(scores);
  }

  /** Mean similarity of {@code vector} to its nearest {@link Settings#neighbours} examples. */
  private double nearestMean(float[] vector, List<Example> own) {
    PriorityQueue<Double> best = new PriorityQueue<>();
    for (Example e : own) {
      best.add(dot(vector, e.vector()));
      if (best.size() > settings.neighbours()) {
        best.poll();
      }
    }
    return best.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private Proposal softmax(SortedMap<String, Double> scores) {
    double max = scores.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    SortedMap<String, Double> shares = new TreeMap<>();
    double sum = 0;
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      double x = Math.exp((e.getValue() - max) / settings.temperature());
      shares.put(e.getKey(), x);
      sum += x;
    }
    String top = null;
    double topShare = -1;
    for (Map.Entry<String, Double> e : shares.entrySet()) {
      double share = e.getValue() / sum;
      e.setValue(share);
      if (share > topShare) {
        topShare = share;
        top = e.getKey();
      }
    }
    return new Proposal(top, Math.min(1, topShare), shares);
  }

  private void ensureCentroids(Collection<String> classes) throws IndexException {
    List<String> missing = classes.stream().filter(c -> !centroids.containsKey(c)).distinct().toList();
    if (missing.isEmpty()) {
      return;
    }
    List<String> sentences = new ArrayList<>();
    for (String c : missing) {
      sentences.addAll(Prototypes.of(c));
    }
    List<float[]> vs = embedder.embed(sentences);
    int i = 0;
    for (String c : missing) {
      int n = Prototypes.of(c).size();
      float[] sum = new float[embedder.dimensions()];
      for (int j = 0; j < n; j++, i++) {
        float[] v = vs.get(i);
        for (int d = 0; d < sum.length; d++) {
          sum[d] += v[d];
        }
      }
      centroids.put(c, unit(sum));
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inv = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < v.length; d++) {
      v[d] *= inv;
    }
    return v;
  }
}
