package dev.mnode.node.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Scores a {@link Redactor} on the labelled set {@code guard/redaction-set.jsonl}: one JSON object
 * per line, {@code {"id": 1, "split": "dev", "text": "...", "expected": [{"type": "email", "text":
 * "..."}]}}. Expected spans are located in the text by their characters, in order. The split is
 * {@code dev} for memories the detectors were tuned on, {@code holdout} for a batch written
 * afterwards and scored without changing the detectors for it.
 *
 * <p>Span level: a found span is a true positive when an expected span has the same type, start
 * and end; every other found span is a false positive and every other expected span a false
 * negative. A secret that is found with the wrong type or slightly wrong bounds therefore counts
 * twice, so the evaluator also reports {@code leaked}: expected spans that no found span overlaps
 * at all, which is what matters for safety.
 *
 * <p>Run {@link #main} to print the table and a throughput figure.
 */
final class RedactionEvaluator {
  static final String SET = "/guard/redaction-set.jsonl";

  /** One labelled memory. */
  record Example(int id, String split, String text, List<Span> expected) {}

  /** Counts for one type, or for all. */
  static final class Score {
    int truePositives;
    int falsePositives;
    int falseNegatives;
    int leaked;

    double precision() {
      int found = truePositives + falsePositives;
      return found == 0 ? 1.0 : (double) truePositives / found;
    }

    double recall() {
      int expected = truePositives + falseNegatives;
      return expected == 0 ? 1.0 : (double) truePositives / expected;
    }
  }

  /** The scores of one run; {@code mistakes} describes each error by id, type and offsets only. */
  record Result(Map<RedactionType, Score> byType, Score overall, int cleanMemories,
      int cleanWithFindings, List<String> mistakes) {}

  private RedactionEvaluator() {}

  static List<Example> load() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<Example> out = new ArrayList<>();
    try (InputStream in = RedactionEvaluator.class.getResourceAsStream(SET)) {
      if (in == null) {
        throw new IOException("missing test resource " + SET);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = mapper.readTree(line);
        int id = node.get("id").asInt();
        String text = node.get("text").asText();
        List<Span> expected = new ArrayList<>();
        int from = 0;
        for (JsonNode e : node.get("expected")) {
          String type = e.get("type").asText();
          String value = e.get("text").asText();
          int at = text.indexOf(value, from);
          if (at < 0) {
            at = text.indexOf(value);
          }
          if (at < 0) {
            throw new IOException("line " + id + ": expected span not in text");
          }
          expected.add(new Span(RedactionType.byId(type)
              .orElseThrow(() -> new IOException("line " + id + ": unknown type " + type)),
              at, at + value.length()));
          from = at + value.length();
        }
        out.add(new Example(id, node.get("split").asText(), text, expected));
      }
    }
    return out;
  }

  static List<Example> split(List<Example> examples, String split) {
    return examples.stream().filter(e -> e.split().equals(split)).collect(Collectors.toList());
  }

  static Result evaluate(Redactor redactor, List<Example> examples) {
    Map<RedactionType, Score> byType = new EnumMap<>(RedactionType.class);
    for (RedactionType t : RedactionType.values()) {
      byType.put(t, new Score());
    }
    Score overall = new Score();
    int clean = 0;
    int cleanWithFindings = 0;
    List<String> mistakes = new ArrayList<>();
    for (Example ex : examples) {
      List<Span> found = redactor.scan(ex.text());
      if (ex.expected().isEmpty()) {
        clean++;
        if (!found.isEmpty()) {
          cleanWithFindings++;
        }
      }
      for (Span f : found) {
        boolean hit = ex.expected().contains(f);
        Score s = byType.get(f.type());
        if (hit) {
          s.truePositives++;
          overall.truePositives++;
        } else {
          s.falsePositives++;
          overall.falsePositives++;
          mistakes.add("FP #" + ex.id() + " " + f);
        }
      }
      for (Span e : ex.expected()) {
        if (!found.contains(e)) {
          Score s = byType.get(e.type());
          s.falseNegatives++;
          overall.falseNegatives++;
          boolean covered = found.stream().anyMatch(e::overlaps);
          if (!covered) {
            s.leaked++;
            overall.leaked++;
          }
          mistakes.add((covered ? "FN #" : "LEAK #") + ex.id() + " " + e);
        }
      }
    }
    return new Result(byType, overall, clean, cleanWithFindings, mistakes);
  }

  /** The result as a Markdown table. */
  static String table(Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append("| type | expected | found | TP | FP | FN | leaked | precision | recall |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    r.byType().forEach((type, s) -> {
      if (s.truePositives + s.falsePositives + s.falseNegatives > 0) {
        row(sb, type.id(), s);
      }
    });
    row(sb, "**all**", r.overall());
    sb.append(String.format(Locale.ROOT, "%nclean memories: %d, with any finding: %d%n",
        r.cleanMemories(), r.cleanWithFindings()));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, Score s) {
    sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.3f | %.3f |%n",
        name, s.truePositives + s.falseNegatives, s.truePositives + s.falsePositives,
        s.truePositives, s.falsePositives, s.falseNegatives, s.leaked, s.precision(), s.recall()));
  }

  /**
   * Memories per second on texts of about 200 characters (labelled texts joined until they reach
   * 200), over at least {@code seconds} after a warm-up of the same length.
   */
  static double throughput(Redactor redactor, List<Example> examples, double seconds)
      throws RedactionRefusedException {
    List<String> texts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (Example ex : examples) {
      cur.append(cur.length() == 0 ? "" : " ").append(ex.text());
      if (cur.length() >= 200) {
        texts.add(cur.substring(0, Math.min(cur.length(), 240)));
        cur.setLength(0);
      }
    }
    RedactionPolicy policy = RedactionPolicy.redactAll();
    long sink = 0;
    for (int pass = 0; pass < 2; pass++) {
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      long n = 0;
      while (System.nanoTime() < deadline) {
        for (String t : texts) {
          sink += redactor.redact(t, "work", policy).text().length();
          n++;
        }
      }
      if (pass == 1) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        return sink == 0 ? 0 : n / elapsed;
      }
    }
    throw new AssertionError("unreachable");
  }

  public static void main(String[] args) throws Exception {
    List<Example> examples = load();
    Redactor redactor = GuardModule.redactor();
    Result r = evaluate(redactor, examples);
    System.out.println(table(r));
    r.mistakes().forEach(System.out::println);
    System.out.println("\nholdout only:");
    System.out.println(table(evaluate(redactor, split(examples, "holdout"))));
    System.out.printf(Locale.ROOT, "throughput: %.0f memories/s (about 200 chars each)%n",
        throughput(redactor, examples, 3));
  }
}
