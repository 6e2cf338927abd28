package dev.mnode.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.index.Embedder;
import dev.mnode.index.LazyEmbedder;
import dev.mnode.node.guard.RedactionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The node's settings, from {@code config.json} in the home (optional; absent means defaults).
 *
 * <pre>
 * {
 *   "embedding": {
 *     "provider": "onnx",              // default: in process, nothing leaves the device
 *     "model": "minilm"
 *   }
 * }
 * {
 *   "embedding": {
 *     "provider": "openai-compatible", // Ollama, llama.cpp, vLLM, OpenAI...
 *     "url": "http://127.0.0.1:11434/v1/embeddings",
 *     "model": "nomic-embed-text",
 *     "api_key_env": "OPENAI_API_KEY", // optional: the variable that holds the key
 *     "dimensions": 768,               // optional: asked of the endpoint otherwise
 *     "timeout_seconds": 30
 *   }
 * }
 * {
 *   "server": {                        // mnode serve; every key optional, defaults shown
 *     "bind": "127.0.0.1",             // another address is used only when written here, with a warning
 *     "port": 7377,
 *     "max_body_bytes": 1048576,
 *     "request_timeout_seconds": 10,
 *     "requests_per_minute": 600,      // per app token, after a burst of:
 *     "burst": 60
 *   },
 *   "audit": {"retention_days": 30, "max_entries": 100000}
 * }
 * </pre>
 *
 * The {@code aging} and {@code summarize} sections are described in {@link
 * dev.mnode.node.aging.AgingSettings}.
 *
 * Changing the embedding model rebuilds the vector index at the next open. An unknown key is an
 * error, so that a typo is not silently ignored.
 */
record NodeConfig(Embedding embedding, ServerConfig server, RedactionPolicy redaction) {
  static final String FILE = ConfigFile.NAME;
  static final NodeConfig DEFAULTS =
      new NodeConfig(new Embedding("onnx", "minilm", "", "", 0, 30), ServerConfig.DEFAULTS, RedactionPolicy.defaults());

  /** Where embeddings come from. */
  record Embedding(String provider, String model, String url, String apiKeyEnv, int dimensions, int timeoutSeconds) {
    /** The embedder these settings name; the model loads on first use. */
    Embedder embedder(Map<String, String> env) throws InvalidInputException {
      switch (provider) {
        case "onnx":
          if (!model.equals("minilm")) {
            throw new InvalidInputException(FILE + ": unknown in-process model \"" + model + "\" (minilm)");
          }
          return LazyEmbedder.minilm();
        case "openai-compatible":
          if (url.isEmpty() || model.isEmpty()) {
            throw new InvalidInputException(FILE + ": the openai-compatible provider needs \"url\" and \"model\"");
          }
          String key = apiKeyEnv.isEmpty() ? null : env.get(apiKeyEnv);
          return LazyEmbedder.http(url, model, key, dimensions, Duration.ofSeconds(timeoutSeconds));
        default:
          throw new InvalidInputException(
              FILE + ": unknown embedding provider \"" + provider + "\" (onnx, openai-compatible)");
      }
    }
  }

  /** Reads {@code config.json} in {@code home}, or the defaults when there is none. */
  static NodeConfig load(Path home) throws NodeException {
    java.util.Optional<JsonNode> found = ConfigFile.root(home);
    if (found.isEmpty()) {
      return DEFAULTS;
    }
    JsonNode root = found.get();
    Path file = home.resolve(FILE);
    only(root, "", Set.of("embedding", "server", "audit", "redaction", "aging", "summarize"));
    dev.mnode.node.aging.AgingSettings.parse(root.path("aging"), root.path("summarize")); // read in full where used
    ServerConfig server = ServerSection.read(file, root.path("server"), root.path("audit"));
    RedactionPolicy redaction = RedactionPolicy.defaults();
    JsonNode r = root.path("redaction");
    if (!r.isMissingNode()) {
      if (!r.isObject()) {
        throw new InvalidInputException(FILE + ": \"redaction\" must be an object");
      }
      try {
        @SuppressWarnings("unchecked")
        Map<String, ?> section = MemoryJson.MAPPER.convertValue(r, Map.class);
        redaction = RedactionPolicy.parse(section);
      } catch (InvalidInputException bad) {
        throw new InvalidInputException(FILE + ": " + bad.getMessage());
      }
    }
    JsonNode e = root.path("embedding");
    if (e.isMissingNode()) {
      return new NodeConfig(DEFAULTS.embedding(), server, redaction);
    }
    only(e, "embedding.", Set.of("provider", "model", "url", "api_key_env", "dimensions", "timeout_seconds"));
    Embedding d = DEFAULTS.embedding();
    int dims = e.path("dimensions").asInt(0);
    int timeout = e.path("timeout_seconds").asInt(d.timeoutSeconds());
    if (dims < 0 || dims > 16_384 || timeout < 1 || timeout > 3600) {
      throw new InvalidInputException(file + ": dimensions must be 0..16384 and timeout_seconds 1..3600");
    }
    String provider = e.path("provider").asText(d.provider());
    String model = e.path("model").asText(provider.equals("onnx") ? d.model() : "");
    return new NodeConfig(
        new Embedding(provider, model, e.path("url").asText(""), e.path("api_key_env").asText(""), dims, timeout),
        server,
        redaction);
  }

  static void only(JsonNode node, String prefix, Set<String> allowed) throws InvalidInputException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new InvalidInputException(FILE + ": unknown setting \"" + prefix + f + "\"");
      }
    }
  }
}
