package dev.mnode.node.aging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.NodeException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * How memories age, from the {@code aging} and {@code summarize} sections of {@code config.json}
 * (both optional; every key optional, defaults shown):
 *
 * <pre>
 * "aging": {
 *   "half_life_days": 90,        // recall's recency halves every this many days (1..36500)
 *   "archive_after_days": 180,   // neither created nor recalled for this long ... (1..36500)
 *   "importance_floor": 0.3,     // ... and importance below this: archived by mnode compact (0..1)
 *   "cluster_similarity": 0.85   // cosine at or above which old memories of one class are near-duplicates (0.5..1)
 * },
 * "summarize": {                 // absent: nothing is summarized and no connection is opened
 *   "endpoint": "http://127.0.0.1:11434/v1",   // OpenAI-compatible; POST {endpoint}/chat/completions
 *   "model": "llama3.2",
 *   "api_key_env": "OPENAI_API_KEY",           // optional: the variable that holds the key
 *   "timeout_seconds": 120
 * }
 * </pre>
 *
 * An unknown key or a value out of range is an error naming it. Immutable.
 */
public record AgingSettings(
    Duration halfLife,
    Duration archiveAfter,
    double importanceFloor,
    double clusterSimilarity,
    Optional<Summarize> summarize) {
  static final String FILE = dev.mnode.node.ConfigFile.NAME;
  static final int MAX_DAYS = 36_500;

  /** 90-day half-life, archive after 180 days below importance 0.3, clusters at cosine 0.85, no summarizing. */
  public static final AgingSettings DEFAULTS =
      new AgingSettings(Duration.ofDays(90), Duration.ofDays(180), 0.3, 0.85, Optional.empty());

  /** Where summaries come from. */
  public record Summarize(URI endpoint, String model, String apiKeyEnv, Duration timeout) {}

  /**
   * The summarizer these settings configure, with its API key read from {@code env}; empty when
   * no endpoint is configured. Building it opens no connection.
   */
  public Optional<Summarizer> summarizer(java.util.Map<String, String> env) {
    return summarize.map(s -> new ChatSummarizer(s, s.apiKeyEnv().isEmpty() ? null : env.get(s.apiKeyEnv())));
  }

  /** Reads the sections from {@code config.json} in {@code home}; defaults when the file or a section is absent. */
  public static AgingSettings load(Path home) throws NodeException {
    java.util.Optional<JsonNode> root = dev.mnode.node.ConfigFile.root(home);
    return root.isEmpty() ? DEFAULTS : parse(root.get().path("aging"), root.get().path("summarize"));
  }

  /** Parses the two sections (each may be a missing node). */
  public static AgingSettings parse(JsonNode aging, JsonNode summarize) throws InvalidInputException {
    AgingSettings d = DEFAULTS;
    Duration halfLife = d.halfLife();
    Duration after = d.archiveAfter();
    double floor = d.importanceFloor();
    double similarity = d.clusterSimilarity();
    if (!aging.isMissingNode()) {
      object(aging, "aging");
      only(aging, "aging.", Set.of("half_life_days", "archive_after_days", "importance_floor", "cluster_similarity"));
      halfLife = Duration.ofDays(days(aging, "half_life_days", halfLife.toDays()));
      after = Duration.ofDays(days(aging, "archive_after_days", after.toDays()));
      floor = number(aging, "importance_floor", floor, 0, 1);
      similarity = number(aging, "cluster_similarity", similarity, 0.5, 1);
    }
    Optional<Summarize> s = Optional.empty();
    if (!summarize.isMissingNode()) {
      object(summarize, "summarize");
      only(summarize, "summarize.", Set.of("endpoint", "model", "api_key_env", "timeout_seconds"));
      String endpoint = summarize.path("endpoint").asText("");
      String model = summarize.path("model").asText("");
      if (endpoint.isEmpty() || model.isEmpty()) {
        throw new InvalidInputException(FILE + ": \"summarize\" needs \"endpoint\" and \"model\"");
      }
      URI uri;
      try {
        uri = new URI(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
      } catch (URISyntaxException e) {
        throw new InvalidInputException(FILE + ": summarize.endpoint is not a URL: " + endpoint);
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new InvalidInputException(FILE + ": summarize.endpoint must be an http(s) URL: " + endpoint);
      }
      long timeout = (long) number(summarize, "timeout_seconds", 120, 1, 3600);
      s = Optional.of(new Summarize(uri, model, summarize.path("api_key_env").asText(""), Duration.ofSeconds(timeout)));
    }
    return new AgingSettings(halfLife, after, floor, similarity, s);
  }

  private static void object(JsonNode n, String name) throws InvalidInputException {
    if (!n.isObject()) {
      throw new InvalidInputException(FILE + ": \"" + name + "\" must be an object");
    }
  }

  private static long days(JsonNode section, String key, long fallback) throws InvalidInputException {
    return (long) number(section, key, fallback, 1, MAX_DAYS);
  }

  private static double number(JsonNode section, String key, double fallback, double min, double max)
      throws InvalidInputException {
    JsonNode v = section.path(key);
    if (v.isMissingNode()) {
      return fallback;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw new InvalidInputException(FILE + ": " + key + " must be a number in " + fmt(min) + ".." + fmt(max) + ", got " + v);
    }
    return v.asDouble();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static void only(JsonNode node, String prefix, Set<String> allowed) throws InvalidInputException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new InvalidInputException(FILE + ": unknown setting \"" + prefix + f + "\"");
      }
    }
  }
}
