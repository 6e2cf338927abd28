package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document in docs/ and the server agree: every route answered is documented, and the reverse. */
class OpenApiContractTest {
  static final Path DOC = Path.of("..", "docs", "api", "openapi.json");
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");

  @TempDir Path tmp;

  @Test
  void documentedRoutes_areExactlyTheServersRoutes() throws Exception {
    Set<String> documented = documented();
    Set<String> served = new TreeSet<>();
    Route.ALL.forEach(r -> served.add(r.method() + " " + r.template()));
    assertEquals(served, documented);
  }

  @Test
  void everyDocumentedRoute_isAnswered_andNothingElseIs() throws Exception {
    try (LiveNode node = new LiveNode(tmp)) {
      String id = node.post("/v1/memories", "{\"text\":\"a thing to route to\"}").json().path("id").asText();
      List<String> routes = new ArrayList<>(documented());
      routes.sort(Comparator.comparing((String r) -> r.startsWith("DELETE")));
      for (String route : routes) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replace("{id}", id);
        if (path.startsWith("/v1/devices/") || path.startsWith("/v1/pair")) {
          // The vault's routes need a device, a pairing, a running peer sync: answered, not necessarily 2xx.
          String self = node.get("/v1/devices").json().path("devices").path(0).path("id").asText();
          path = route.substring(route.indexOf(' ') + 1).replace("{id}", self).replace("{code}", "7-apple-river");
          String vb = path.endsWith("rename") ? "{\"name\":\"laptop\"}" : path.endsWith("grant") ? "{\"classes\":[\"work\"]}" : method.equals("POST") ? "{}" : null;
          Raw.Response r = node.call(method, path, vb);
          assertNotEquals(404, r.status(), route + ": " + r);
          assertNotEquals(405, r.status(), route + ": " + r);
          continue;
        }
        String body = path.equals("/mcp") ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"
            : method.equals("POST") ? (path.contains("recall") ? "{\"query\":\"route\"}" : "{\"text\":\"x " + method + "\"}")
            : method.equals("PATCH") ? "{\"pinned\":true}" : null;
        Raw.Response r = node.call(method, path, body);
        assertNotEquals(404, r.status(), route + ": " + r);
        assertNotEquals(405, r.status(), route + ": " + r);
        assertEquals(r.status() < 300, true, route + ": " + r);
      }
      // A route that is not documented is not answered.
      assertEquals(404, node.get("/v1/export").status());
      assertEquals(404, node.get("/v2/memories").status());
      assertEquals(405, node.call("DELETE", "/v1/recall", null).status());
    }
  }

  static Set<String> documented() throws Exception {
    JsonNode doc = Raw.JSON.readTree(Files.readString(DOC));
    assertEquals("3.0.3", doc.path("openapi").asText());
    Set<String> out = new TreeSet<>();
    for (Iterator<String> p = doc.path("paths").fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = doc.path("paths").path(path).fieldNames(); m.hasNext(); ) {
        String method = m.next();
        if (METHODS.contains(method)) {
          out.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    return out;
  }
}
