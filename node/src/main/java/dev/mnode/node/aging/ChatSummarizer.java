package dev.mnode.node.aging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import dev.mnode.store.Memory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Summarizer} over an OpenAI-compatible chat endpoint the user configured (Ollama,
 * llama.cpp, vLLM...): one {@code POST {endpoint}/chat/completions} per group, temperature 0,
 * answered by {@code choices[0].message.content}. The client is built when this object is, and
 * nothing connects until {@link #summarize} is called. Thread-safe.
 */
public final class ChatSummarizer implements Summarizer {
  static final String SYSTEM =
      "You merge notes that say nearly the same thing into one short note. Keep every distinct fact,"
          + " name, number and date; drop repetition; answer with the merged note only.";

  private final AgingSettings.Summarize settings;
  private final @Nullable String apiKey;
  private final HttpClient http;

  /** A summarizer for {@code settings}; {@code apiKey} (may be null) is sent as a bearer token. */
  public ChatSummarizer(AgingSettings.Summarize settings, @Nullable String apiKey) {
    this.settings = settings;
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  @Override
  public String summarize(String memoryClass, List<String> texts) throws NodeException {
    ObjectNode body = MemoryJson.MAPPER.createObjectNode();
    body.put("model", settings.model());
    body.put("temperature", 0);
    body.put("stream", false);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM);
    StringBuilder user = new StringBuilder("Notes (class " + memoryClass + "):\n");
    for (String t : texts) {
      user.append("- ").append(t.replace('\n', ' ')).append('\n');
    }
    messages.addObject().put("role", "user").put("content", user.toString());
    URI uri = URI.create(settings.endpoint() + "/chat/completions");
    HttpRequest.Builder req = HttpRequest.newBuilder(uri)
        .timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (apiKey != null && !apiKey.isEmpty()) {
      req.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NodeException("summarize endpoint " + uri + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeException("interrupted while summarizing", e);
    }
    if (resp.statusCode() != 200) {
      throw new NodeException("summarize endpoint " + uri + " answered HTTP " + resp.statusCode());
    }
    String text;
    try {
      JsonNode answer = MemoryJson.MAPPER.readTree(resp.body());
      text = answer.path("choices").path(0).path("message").path("content").asText("").strip();
    } catch (IOException e) {
      throw new NodeException("summarize endpoint " + uri + " answered something that is not JSON", e);
    }
    if (text.isEmpty()) {
      throw new NodeException("summarize endpoint " + uri + " gave no summary (choices[0].message.content is empty)");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > Memory.MAX_TEXT_BYTES) {
      throw new NodeException("summarize endpoint " + uri + " gave a summary longer than a memory may be");
    }
    return text;
  }
}
