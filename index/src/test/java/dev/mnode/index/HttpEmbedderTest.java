package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible provider against a real HTTP server on 127.0.0.1 that speaks the {@code
 * /v1/embeddings} API the way Ollama does. Its "model" hashes words into 16 dimensions: enough to
 * check the protocol, the batching, the order of results and the errors, not meaning.
 */
class HttpEmbedderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> override = new AtomicReference<>();
  private String url;

  static float[] toy(String text) {
    float[] v = new float[16];
    for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
      if (!w.isEmpty()) {
        v[Math.floorMod(w.hashCode(), 16)] += 1;
      }
    }
    return v;
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/embeddings",
        ex -> {
          JsonNode req = JSON.readTree(ex.getRequestBody());
          requests.add(req);
          auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          String body;
          int status = 200;
          if (override.get() != null) {
            body = override.get();
            status = body.startsWith("{\"error") ? 500 : 200;
          } else {
            var out = JSON.createObjectNode();
            var data = out.putArray("data");
            // Answer in reverse order with explicit indexes, as servers may.
            for (int i = req.get("input").size() - 1; i >= 0; i--) {
              var item = data.addObject().put("object", "embedding").put("index", i);
              var arr = item.putArray("embedding");
              for (float f : toy(req.get("input").get(i).asText())) {
                arr.add(f);
              }
            }
            out.put("model", req.get("model").asText());
            body = out.toString();
          }
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/embeddings";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void probesDimensions_batches_keepsOrder_normalizes_andSendsTheKey() throws Exception {
    HttpEmbedder e = HttpEmbedder.create(url, "nomic-embed-text", "sk-test", 0, Duration.ofSeconds(5));
    assertEquals(16, e.dimensions());
    assertEquals("openai-compatible:" + url + "#nomic-embed-text", e.modelId());
    List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      texts.add("memory number " + i + " about topic " + (i % 7));
    }
    List<float[]> vs = e.embed(texts);
    assertEquals(150, vs.size());
    assertEquals(1 + 3, requests.size(), "probe, then batches of 64");
    assertEquals("nomic-embed-text", requests.get(1).get("model").asText());
    for (int i = 0; i < 150; i++) {
      float[] expect = Vectors.normalize(toy(texts.get(i)));
      assertEquals(1.0, Vectors.dot(expect, vs.get(i)), 1e-5, "text " + i + " in its place");
    }
    assertTrue(auth.stream().allMatch("Bearer sk-test"::equals));
  }

  @Test
  void badAnswersAreClearErrors() throws Exception {
    HttpEmbedder e = HttpEmbedder.create(url, "m", null, 16, Duration.ofSeconds(5));
    assertEquals(0, requests.size(), "dimensions given: no probe");
    override.set("{\"error\":{\"message\":\"model m not found\"}}");
    IndexException x = assertThrows(IndexException.class, () -> e.embed(List.of("a")));
    assertTrue(x.getMessage().contains("500") && x.getMessage().contains("not found"), x.getMessage());
    override.set("not json");
    assertThrows(IndexException.class, () -> e.embed(List.of("a")));
    override.set("{\"data\":[]}");
    assertThrows(IndexException.class, () -> e.embed(List.of("a")));
    override.set("{\"data\":[{\"index\":0,\"embedding\":[1,2,3]}]}");
    x = assertThrows(IndexException.class, () -> e.embed(List.of("a")));
    assertTrue(x.getMessage().contains("3 dimensions"), x.getMessage());
    assertFalse(auth.stream().anyMatch(a -> a.startsWith("Bearer")), "no key configured, none sent");
    assertThrows(IndexException.class, () -> HttpEmbedder.create("ftp://x/y", "m", null, 0, Duration.ofSeconds(1)));
    server.stop(0);
    assertThrows(IndexException.class, () -> e.embed(List.of("a")));
  }

  @Test
  void drivesARecallIndex() throws Exception {
    Embedder e = LazyEmbedder.http(url, "toy", null, 0, Duration.ofSeconds(5));
    try (RecallIndex idx = RecallIndex.empty(e, 8)) {
      idx.apply(
          List.of(RecallIndexTest.m("a", "stripe payments provider", "work", List.of(), "", 1),
              RecallIndexTest.m("b", "penicillin allergy", "health", List.of(), "", 1)),
          List.of(), RecallIndex.Progress.NONE);
      assertEquals("b", idx.recall("allergy penicillin", 1, Filter.NONE, java.time.Instant.now()).get(0).id());
    }
  }
}
