package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.Op;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an app token can and cannot do, against a real node: it reads and writes only its classes
 * and operations, and learns nothing of the others.
 */
class ApiScopeTest {
  @TempDir static Path tmp;
  static LiveNode node;
  static String work;
  static String reader;
  static String writer;
  static String healthId;
  static String workId;

  @BeforeAll
  static void start() throws Exception {
    node = new LiveNode(tmp);
    AppRegistry apps = AppRegistry.of(node.home.dir());
    work = apps.add("work-app", Set.of("work"), Set.of(Op.READ, Op.WRITE), Instant.now());
    reader = apps.add("reader", Set.of("work"), Set.of(Op.READ), Instant.now());
    writer = apps.add("writer", Set.of("work"), Set.of(Op.WRITE), Instant.now());
    healthId = node.post("/v1/memories", "{\"text\":\"My blood pressure medication is lisinopril 10 mg\",\"class\":\"health\"}").json().path("id").asText();
    workId = node.post("/v1/memories", "{\"text\":\"The blood pressure of the release team is high this week\",\"class\":\"work\"}").json().path("id").asText();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void recall_withAWorkToken_neverReturnsAHealthMemory() throws Exception {
    Raw.Response r = Raw.call(node.port, "POST", "/v1/recall", work, "{\"query\":\"blood pressure medication lisinopril\",\"k\":10}");
    assertEquals(200, r.status(), r::toString);
    List<String> classes = new ArrayList<>();
    r.json().path("results").forEach(h -> classes.add(h.path("class").asText()));
    assertFalse(classes.isEmpty(), r::toString);
    assertEquals(List.of("work"), classes.stream().distinct().toList());
    assertFalse(r.body().contains("lisinopril"), r::toString);
  }

  @Test
  void recall_askingForAClassOutsideTheScope_isForbidden() throws Exception {
    Raw.Response r = Raw.call(node.port, "POST", "/v1/recall", work, "{\"query\":\"lisinopril\",\"classes\":[\"health\"]}");
    assertEquals(403, r.status(), r::toString);
    assertEquals("forbidden", r.errorCode());
    Raw.Response mixed = Raw.call(node.port, "POST", "/v1/recall", work, "{\"query\":\"lisinopril\",\"classes\":[\"work\",\"health\"]}");
    assertEquals(403, mixed.status(), mixed::toString);
  }

  @Test
  void aMemoryOfAnotherClass_isAnsweredAsMissing() throws Exception {
    Raw.Response get = Raw.get(node.port, "/v1/memories/" + healthId, work);
    assertEquals(404, get.status(), get::toString);
    assertEquals("not_found", get.errorCode());
    Raw.Response del = Raw.call(node.port, "DELETE", "/v1/memories/" + healthId, work, null, null);
    assertEquals(404, del.status(), del::toString);
    Raw.Response patch = Raw.call(node.port, "PATCH", "/v1/memories/" + healthId, work, "{\"pinned\":true}");
    assertEquals(404, patch.status(), patch::toString);
    // Nothing happened to it.
    Raw.Response owner = node.get("/v1/memories/" + healthId);
    assertEquals(200, owner.status());
    assertFalse(owner.json().path("pinned").asBoolean());
  }

  @Test
  void rememberWithoutClass_isClassifiedAmongTheWritableClassesOnly() throws Exception {
    Raw.Response r = Raw.call(node.port, "POST", "/v1/memories", work, "{\"text\":\"I have a cold and a fever\"}");
    assertEquals(201, r.status(), r::toString);
    assertEquals("work", r.json().path("class").asText(), "work is the one class this token may write");
    assertEquals("auto", r.json().path("class_source").asText());
  }

  @Test
  void writesOutsideTheScope_areRefused_andChangeNothing() throws Exception {
    long before = node.get("/v1/status").json().path("count").asLong();
    Raw.Response other = Raw.call(node.port, "POST", "/v1/memories", work, "{\"text\":\"I have a cold\",\"class\":\"health\"}");
    assertEquals(403, other.status(), other::toString);
    Raw.Response move = Raw.call(node.port, "PATCH", "/v1/memories/" + workId, work, "{\"class\":\"health\"}");
    assertEquals(403, move.status(), move::toString);
    assertEquals(before, node.get("/v1/status").json().path("count").asLong());
    assertEquals("work", node.get("/v1/memories/" + workId).json().path("class").asText());
  }

  @Test
  void writesInsideTheScope_work_andCarryTheAppAsSource() throws Exception {
    Raw.Response r = Raw.call(node.port, "POST", "/v1/memories", work, "{\"text\":\"Standup moved to 9:30\",\"class\":\"work\"}");
    assertEquals(201, r.status(), r::toString);
    assertEquals("work-app", r.json().path("source").asText());
    String id = r.json().path("id").asText();
    assertEquals(200, Raw.call(node.port, "PATCH", "/v1/memories/" + id, work, "{\"pinned\":true}").status());
    assertEquals(204, Raw.call(node.port, "DELETE", "/v1/memories/" + id, work, null, null).status());
  }

  @Test
  void operations_areScopedToo() throws Exception {
    assertEquals(403, Raw.call(node.port, "POST", "/v1/memories", reader, "{\"text\":\"x\",\"class\":\"work\"}").status());
    assertEquals(403, Raw.call(node.port, "DELETE", "/v1/memories/" + workId, reader, null, null).status());
    assertEquals(200, Raw.get(node.port, "/v1/memories/" + workId, reader).status());
    assertEquals(403, Raw.get(node.port, "/v1/memories/" + workId, writer).status());
    assertEquals(403, Raw.call(node.port, "POST", "/v1/recall", writer, "{\"query\":\"x\"}").status());
    assertEquals(403, Raw.get(node.port, "/v1/memories", writer).status());
    // Changing a memory answers it whole, so it needs read as well.
    assertEquals(403, Raw.call(node.port, "PATCH", "/v1/memories/" + workId, writer, "{\"pinned\":true}").status());
  }

  @Test
  void list_classes_andStatus_showOnlyTheScope() throws Exception {
    Raw.Response list = Raw.get(node.port, "/v1/memories?limit=1000", work);
    assertEquals(200, list.status(), list::toString);
    list.json().path("memories").forEach(m -> assertEquals("work", m.path("class").asText()));
    assertEquals(403, Raw.get(node.port, "/v1/memories?class=health", work).status());
    Raw.Response classes = Raw.get(node.port, "/v1/classes", work);
    assertEquals(1, classes.json().path("classes").size(), classes::toString);
    assertEquals("work", classes.json().path("classes").get(0).path("name").asText());
    JsonNode status = Raw.get(node.port, "/v1/status", work).json();
    assertEquals(List.of("work"), iterable(status.path("classes")));
    assertEquals(status.path("classes").path("work").asLong(), status.path("count").asLong());
  }

  @Test
  void missingWrongOrMalformedTokens_are401_onEveryRouteButHealth() throws Exception {
    for (Route route : Route.ALL) {
      if (!route.authenticated()) {
        continue;
      }
      String path = route.template().replace("{id}", workId).replace("{code}", "7-apple-river");
      String body = route.method().equals("POST") || route.method().equals("PATCH") ? "{}" : null;
      Raw.Response r = Raw.call(node.port, route.method(), path, null, "application/json", body);
      assertEquals(401, r.status(), route + ": " + r);
      assertEquals("unauthorized", r.errorCode());
      assertEquals("Bearer", r.headers().get("www-authenticate"));
    }
    for (String token : new String[] {"mnode_wrong", work + "x", work.substring(0, work.length() - 1), ""}) {
      Raw.Response r = Raw.get(node.port, "/v1/status", token);
      assertEquals(401, r.status(), token + ": " + r);
    }
    Raw.Response basic = Raw.exchange(node.port, ("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + work
        + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(401, basic.status());
    // Still answered, if more slowly, and a good token still works after the failures.
    assertEquals(200, Raw.get(node.port, "/v1/status", work).status());
  }

  @Test
  void aRevokedToken_stopsWorkingAtOnce() throws Exception {
    AppRegistry apps = AppRegistry.of(node.home.dir());
    String t = apps.add("short-lived", Set.of("work"), Set.of(Op.READ), Instant.now());
    assertEquals(200, Raw.get(node.port, "/v1/status", t).status());
    assertTrue(apps.revoke("short-lived"));
    assertEquals(401, Raw.get(node.port, "/v1/status", t).status());
  }

  private static List<String> iterable(JsonNode o) {
    List<String> out = new ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
