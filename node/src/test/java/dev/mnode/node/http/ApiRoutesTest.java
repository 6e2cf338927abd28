package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the API, answered by a real node over a real loopback socket, with the owner's token. */
class ApiRoutesTest {
  @TempDir static Path tmp;
  static LiveNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new LiveNode(tmp);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void health_needsNoToken() throws Exception {
    Raw.Response r = Raw.get(node.port, "/health", null);
    assertEquals(200, r.status(), r::toString);
    assertEquals("ok", r.json().path("status").asText());
    assertTrue(r.headers().get("content-type").startsWith("application/json"));
  }

  @Test
  void remember_get_update_forget_roundTrip() throws Exception {
    Raw.Response made =
        node.post("/v1/memories", "{\"text\":\"We chose Stripe over Adyen\",\"class\":\"work\",\"tags\":[\"payments\"],\"importance\":0.9,\"metadata\":{\"k\":\"v\"}}");
    assertEquals(201, made.status(), made::toString);
    JsonNode m = made.json();
    String id = m.path("id").asText();
    assertEquals("work", m.path("class").asText());
    assertFalse(m.path("duplicate").asBoolean());
    assertEquals(0.9, m.path("importance").asDouble());

    Raw.Response got = node.get("/v1/memories/" + id);
    assertEquals(200, got.status(), got::toString);
    assertEquals("We chose Stripe over Adyen", got.json().path("text").asText());

    Raw.Response same = node.post("/v1/memories", "{\"text\":\"We chose Stripe over Adyen\",\"class\":\"work\"}");
    assertEquals(200, same.status(), same::toString);
    assertTrue(same.json().path("duplicate").asBoolean());
    assertEquals(id, same.json().path("id").asText());

    Raw.Response patched = node.call("PATCH", "/v1/memories/" + id, "{\"pinned\":true,\"tags\":[\"psp\"]}");
    assertEquals(200, patched.status(), patched::toString);
    assertTrue(patched.json().path("pinned").asBoolean());
    assertEquals("psp", patched.json().path("tags").get(0).asText());

    Raw.Response gone = Raw.call(node.port, "DELETE", "/v1/memories/" + id, node.owner, null, null);
    assertEquals(204, gone.status(), gone::toString);
    Raw.Response missing = node.get("/v1/memories/" + id);
    assertEquals(404, missing.status());
    assertEquals("not_found", missing.errorCode());
  }

  @Test
  void list_filtersAndPages_newestFirst() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Raw.Response r = node.post("/v1/memories", "{\"text\":\"page note number " + i + "\",\"class\":\"personal\",\"tags\":[\"paging\"]}");
      assertEquals(201, r.status(), r::toString);
      ids.add(0, r.json().path("id").asText());
    }
    List<String> seen = new ArrayList<>();
    String path = "/v1/memories?class=personal&tag=paging&limit=2";
    Raw.Response page = node.get(path);
    assertEquals(200, page.status(), page::toString);
    page.json().path("memories").forEach(x -> seen.add(x.path("id").asText()));
    assertEquals(2, page.json().path("next_offset").asInt());
    page = node.get(path + "&offset=2");
    page.json().path("memories").forEach(x -> seen.add(x.path("id").asText()));
    page = node.get(path + "&offset=4");
    page.json().path("memories").forEach(x -> seen.add(x.path("id").asText()));
    assertTrue(page.json().path("next_offset").isNull(), page::toString);
    assertEquals(ids, seen);
  }

  @Test
  void recall_findsTheAnswer_withItsScore() throws Exception {
    node.post("/v1/memories", "{\"text\":\"The office wifi password is on the fridge\",\"class\":\"work\"}");
    node.post("/v1/memories", "{\"text\":\"My dentist appointment is on Tuesday\",\"class\":\"health\"}");
    Raw.Response r = node.post("/v1/recall", "{\"query\":\"where is the wifi password?\",\"k\":1,\"classes\":[\"work\"]}");
    assertEquals(200, r.status(), r::toString);
    JsonNode first = r.json().path("results").get(0);
    assertEquals("The office wifi password is on the fridge", first.path("text").asText());
    assertTrue(first.path("score").asDouble() > 0);
    assertTrue(first.path("explain").has("fused"));
  }

  @Test
  void classes_and_status_listEveryClass() throws Exception {
    Raw.Response c = node.get("/v1/classes");
    assertEquals(200, c.status(), c::toString);
    List<String> names = new ArrayList<>();
    c.json().path("classes").forEach(x -> names.add(x.path("name").asText()));
    assertEquals(List.of("financial", "health", "other", "personal", "work"), names);
    Raw.Response s = node.get("/v1/status");
    assertEquals(200, s.status(), s::toString);
    assertEquals(node.home.dir().toString(), s.json().path("home").asText());
    assertTrue(s.json().path("classes").has("work"));
  }

  @Test
  void metrics_arePrometheusText() throws Exception {
    node.get("/v1/status");
    Raw.Response r = node.get("/metrics");
    assertEquals(200, r.status(), r::toString);
    assertTrue(r.headers().get("content-type").startsWith("text/plain; version=0.0.4"));
    assertTrue(r.body().contains("# TYPE mnode_http_requests_total counter"), r.body());
    assertTrue(r.body().contains("mnode_http_requests_total{route=\"status\",status=\"200\"}"), r.body());
  }

  @Test
  void openapi_isTheDocumentInDocs() throws Exception {
    Raw.Response r = node.get("/openapi.json");
    assertEquals(200, r.status(), r::toString);
    assertEquals(Raw.JSON.readTree(Files.readString(OpenApiContractTest.DOC)), r.json());
  }

  @Test
  void errors_haveTheJsonErrorBody() throws Exception {
    Raw.Response r = node.get("/v1/nothing-here");
    assertEquals(404, r.status());
    assertEquals("not_found", r.errorCode());
    assertFalse(r.json().path("error").path("message").asText().isEmpty());
    Raw.Response m = Raw.call(node.port, "PUT", "/v1/memories", node.owner, "{}");
    assertEquals(405, m.status());
    assertEquals("method_not_allowed", m.errorCode());
  }

  @Test
  void keepAlive_answersSeveralRequestsOnOneConnection_inOrder() throws Exception {
    String one = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    String two = "GET /v1/status HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + node.owner + "\r\n\r\n";
    String three = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port)) {
      s.setSoTimeout(Raw.READ_TIMEOUT_MS);
      s.getOutputStream().write((one + two + three).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertEquals("ok", Raw.read(s.getInputStream()).json().path("status").asText());
      assertTrue(Raw.read(s.getInputStream()).json().has("vault"));
      assertEquals("ok", Raw.read(s.getInputStream()).json().path("status").asText());
    }
  }
}
