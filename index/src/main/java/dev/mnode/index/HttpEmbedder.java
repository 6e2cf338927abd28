package dev.mnode.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Embeddings from an OpenAI-compatible {@code /v1/embeddings} endpoint (OpenAI, Ollama, llama.cpp,
 * vLLM, LM Studio...), which the user names in the node's config. The only network use of the
 * index, and only when configured. The API key, if any, is sent as a bearer token and never
 * logged. Thread-safe.
 */
public final class HttpEmbedder implements Embedder {
  /** Texts per request. */
  static final int BATCH = 64;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String model;
  private final @Nullable String apiKey;
  private final int dimensions;
  private final HttpClient client;
  private final Duration timeout;

  private HttpEmbedder(URI endpoint, String model, @Nullable String apiKey, int dimensions, Duration timeout) {
    this.endpoint = endpoint;
    this.model = model;
    this.apiKey = apiKey;
    this.dimensions = dimensions;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * An embedder calling {@code endpoint} (the full URL, for example {@code
   * http://127.0.0.1:11434/v1/embeddings}) with model {@code model}. With {@code dimensions} 0 it
   * asks the endpoint once for the length of its vectors.
   *
   * @throws IndexException if the endpoint is not an http(s) URL, or cannot be asked
   */
  public static HttpEmbedder create(String endpoint, String model, @Nullable String apiKey, int dimensions, Duration timeout)
      throws IndexException {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IndexException("embedding endpoint is not a URL: " + endpoint);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IndexException("embedding endpoint must be an http or https URL: " + endpoint);
    }
    if (model.isBlank()) {
      throw new IndexException("embedding endpoint needs a model name");
    }
    if (dimensions > 0) {
      return new HttpEmbedder(uri, model, apiKey, dimensions, timeout);
    }
    HttpEmbedder probe = new HttpEmbedder(uri, model, apiKey, 0, timeout);
    int n = probe.call(List.of("dimensions")).get(0).length;
    return new HttpEmbedder(uri, model, apiKey, n, timeout);
  }

  /** The model id: endpoint and model, so that pointing the node elsewhere rebuilds the index. */
  static String modelId(String endpoint, String model) {
    return "openai-compatible:" + endpoint + "#" + model;
  }

  @Override
  public String modelId() {
    return modelId(endpoint.toString(), model);
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public List<float[]> embed(List<String> texts) throws IndexException {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i += BATCH) {
      for (float[] v : call(texts.subList(i, Math.min(texts.size(), i + BATCH)))) {
        if (dimensions > 0 && v.length != dimensions) {
          throw new IndexException(
              "embedding endpoint returned " + v.length + " dimensions, expected " + dimensions + ": was its model changed?");
        }
        out.add(Vectors.normalize(v));
      }
    }
    return out;
  }

  private List<float[]> call(List<String> texts) throws IndexException {
    ObjectNode body = JSON.createObjectNode().put("model", model);
    ArrayNode input = body.putArray("input");
    texts.forEach(input::add);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null && !apiKey.isEmpty()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IndexException("embedding endpoint " + endpoint + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException("interrupted while calling the embedding endpoint", e);
    }
    if (response.statusCode() != 200) {
      String text = response.body();
      throw new IndexException(
          "embedding endpoint " + endpoint + " answered " + response.statusCode() + ": "
              + (text.length() > 200 ? text.substring(0, 200) + "..." : text).replaceAll("\\s+", " "));
    }
    try {
      JsonNode data = JSON.readTree(response.body()).path("data");
      if (!data.isArray() || data.size() != texts.size()) {
        throw new IndexException("embedding endpoint answered " + data.size() + " vectors for " + texts.size() + " texts");
      }
      float[][] vectors = new float[texts.size()][];
      for (int i = 0; i < data.size(); i++) {
        JsonNode item = data.get(i);
        int index = item.path("index").asInt(i);
        JsonNode e = item.path("embedding");
        if (index < 0 || index >= vectors.length || vectors[index] != null || !e.isArray() || e.isEmpty()) {
          throw new IndexException("embedding endpoint answered a malformed item " + i);
        }
        float[] v = new float[e.size()];
        for (int j = 0; j < v.length; j++) {
          if (!e.get(j).isNumber()) {
            throw new IndexException("embedding endpoint answered a non-number in item " + i);
          }
          v[j] = (float) e.get(j).asDouble();
        }
        vectors[index] = v;
      }
      return List.of(vectors);
    } catch (IOException e) {
      throw new IndexException("embedding endpoint answered invalid JSON: " + e.getMessage(), e);
    }
  }
}
