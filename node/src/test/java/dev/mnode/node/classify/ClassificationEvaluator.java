package dev.mnode.node.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.index.Embedder;
import dev.mnode.index.IndexException;
import dev.mnode.node.MemoryJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Loads the labelled set of memories and scores a {@link Classifier} on it. */
final class ClassificationEvaluator {
  static final List<String> CLASSES = List.of("personal", "work", "health", "financial", "other");

  /** One labelled memory, with its embedding. */
  record Labelled(String text, String memoryClass, float[] vector) {}

  /** How a classifier did: proposals against labels, and the final classes after the threshold. */
  record Result(int[][] confusion, int[][] finalConfusion, int correct, int finalCorrect, int flagged,
      int sureCorrect, int sure, int total) {
    double accuracy() {
      return (double) correct / total;
    }

    double finalAccuracy() {
      return (double) finalCorrect / total;
    }

    double sureAccuracy() {
      return sure == 0 ? 1 : (double) sureCorrect / sure;
    }

    double flaggedShare() {
      return (double) flagged / total;
    }
  }

  private ClassificationEvaluator() {}

  static List<Labelled> load(Embedder embedder) throws IOException, IndexException {
    List<String> texts = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    try (InputStream in = ClassificationEvaluator.class.getResourceAsStream("/classify/labelled-set.jsonl");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = MemoryJson.MAPPER.readTree(line);
        texts.add(o.get("text").asText());
        classes.add(o.get("class").asText());
      }
    }
    List<float[]> vs = embedder.embed(texts);
    List<Labelled> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      out.add(new Labelled(texts.get(i), classes.get(i), vs.get(i)));
    }
    return out;
  }

  /** Scores {@code c} on {@code set}, helped by {@code examples}. */
  static Result evaluate(Classifier c, List<Labelled> set, List<Example> examples, List<String> mistakes)
      throws IndexException {
    int n = CLASSES.size();
    int[][] confusion = new int[n][n];
    int[][] finals = new int[n][n];
    int correct = 0, finalCorrect = 0, flagged = 0, sure = 0, sureCorrect = 0;
    for (Labelled l : set) {
      Proposal p = c.propose(l.vector(), CLASSES, examples);
      int truth = CLASSES.indexOf(l.memoryClass());
      int proposed = CLASSES.indexOf(p.memoryClass());
      confusion[truth][proposed]++;
      boolean ok = truth == proposed;
      correct += ok ? 1 : 0;
      int fin = proposed;
      if (p.sureAt(c.settings().threshold())) {
        sure++;
        sureCorrect += ok ? 1 : 0;
      } else {
        flagged++;
        fin = CLASSES.indexOf("other");
      }
      finals[truth][fin]++;
      finalCorrect += truth == fin ? 1 : 0;
      if (!ok) {
        mistakes.add(String.format(Locale.ROOT, "%-9s -> %-9s %.2f  %s", l.memoryClass(), p.memoryClass(), p.confidence(), l.text()));
      }
    }
    return new Result(confusion, finals, correct, finalCorrect, flagged, sureCorrect, sure, set.size());
  }

  /** The confusion matrix as a Markdown table: rows are labels, columns proposals. */
  static String table(int[][] m) {
    StringBuilder b = new StringBuilder("| label \\ proposed |");
    CLASSES.forEach(c -> b.append(' ').append(c).append(" |"));
    b.append(" recall |\n|---|");
    CLASSES.forEach(c -> b.append("---|"));
    b.append("---|\n");
    for (int i = 0; i < m.length; i++) {
      b.append("| ").append(CLASSES.get(i)).append(" |");
      int row = 0;
      for (int j = 0; j < m.length; j++) {
        b.append(' ').append(m[i][j]).append(" |");
        row += m[i][j];
      }
      b.append(String.format(Locale.ROOT, " %.2f |%n", row == 0 ? 0 : (double) m[i][i] / row));
    }
    return b.toString();
  }
}
