package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archived memories over the API: left out of list and recall unless asked, always returned by id. */
class ApiArchivedTest {
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

  private static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(m -> out.add(m.path("id").asText()));
    return out;
  }

  @Test
  void archivedMemory_leavesListAndRecall_unlessArchivedIsAsked() throws Exception {
    Raw.Response made = node.post("/v1/memories",
        "{\"text\":\"The office wifi password rotates every quarter\",\"class\":\"work\",\"metadata\":{\"archived\":\"true\"}}");
    assertEquals(201, made.status(), made::toString);
    String id = made.json().path("id").asText();
    assertEquals(201, node.post("/v1/memories", "{\"text\":\"Standup is at 9:30\",\"class\":\"work\"}").status());

    assertFalse(ids(node.get("/v1/memories").json().path("memories")).contains(id));
    assertTrue(ids(node.get("/v1/memories?archived=true").json().path("memories")).contains(id));
    assertFalse(ids(node.post("/v1/recall", "{\"query\":\"office wifi password\"}").json().path("results")).contains(id));
    Raw.Response asked = node.post("/v1/recall", "{\"query\":\"office wifi password\",\"archived\":true,\"k\":1}");
    assertEquals(200, asked.status(), asked::toString);
    assertEquals(List.of(id), ids(asked.json().path("results")));
    assertEquals(200, node.get("/v1/memories/" + id).status());
  }
}
