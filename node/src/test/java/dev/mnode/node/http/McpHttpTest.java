package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.Op;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MCP over streamable HTTP at /mcp, driven by the official SDK's client against a real node. */
class McpHttpTest {
  @TempDir static Path tmp;
  static LiveNode node;
  static String work;
  static final List<String> audited = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @BeforeAll
  static void start() throws Exception {
    node = new LiveNode(tmp, null, (app, op, classes, count, status) -> audited.add(app + " " + op + " " + classes + " " + status));
    work = AppRegistry.of(node.home.dir()).add("claude", Set.of("work"), Set.of(Op.READ, Op.WRITE), Instant.now());
    node.post("/v1/memories", "{\"text\":\"My blood pressure medication is lisinopril\",\"class\":\"health\"}");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static McpSyncClient client(String token) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + node.port)
            .endpoint("/mcp")
            .requestBuilder(token == null ? java.net.http.HttpRequest.newBuilder()
                : java.net.http.HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
            .build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
  }

  @Test
  void listsTheTools_thenRemembersAndRecalls_withinTheTokensScope() throws Exception {
    try (McpSyncClient c = client(work)) {
      c.initialize();
      List<String> names = c.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
      assertEquals(List.of("forget", "get_memory", "list_classes", "list_memories", "recall", "remember", "update_memory"), names);
      c.listTools().tools().forEach(t -> {
        assertFalse(t.description().isBlank(), t.name());
        assertEquals("object", t.inputSchema().get("type"), t.name());
      });

      McpSchema.CallToolResult made =
          c.callTool(new McpSchema.CallToolRequest("remember", Map.of("text", "We chose Stripe over Adyen for payments", "class", "work")));
      assertFalse(Boolean.TRUE.equals(made.isError()), made::toString);
      JsonNode memory = Raw.JSON.readTree(text(made));
      assertEquals("claude", memory.path("source").asText());

      McpSchema.CallToolResult found = c.callTool(new McpSchema.CallToolRequest("recall", Map.of("query", "which payment provider? medication")));
      JsonNode results = Raw.JSON.readTree(text(found)).path("results");
      assertEquals(memory.path("id").asText(), results.get(0).path("id").asText());
      results.forEach(r -> assertEquals("work", r.path("class").asText()));

      McpSchema.CallToolResult health = c.callTool(new McpSchema.CallToolRequest("recall", Map.of("query", "medication", "classes", List.of("health"))));
      assertTrue(health.isError(), health::toString);

      McpSchema.CallToolResult outside = c.callTool(new McpSchema.CallToolRequest("remember", Map.of("text", "a cold", "class", "health")));
      assertTrue(outside.isError(), outside::toString);

      McpSchema.CallToolResult classes = c.callTool(new McpSchema.CallToolRequest("list_classes", Map.of()));
      assertEquals(1, Raw.JSON.readTree(text(classes)).path("classes").size());
      String id = memory.path("id").asText();
      McpSchema.CallToolResult updated = c.callTool(new McpSchema.CallToolRequest("update_memory", Map.of("id", id, "pinned", true)));
      assertTrue(Raw.JSON.readTree(text(updated)).path("pinned").asBoolean(), updated::toString);
      assertEquals(1, Raw.JSON.readTree(text(c.callTool(new McpSchema.CallToolRequest("list_memories", Map.of())))).path("memories").size());
      assertFalse(c.callTool(new McpSchema.CallToolRequest("forget", Map.of("id", id))).isError());
      assertTrue(c.callTool(new McpSchema.CallToolRequest("get_memory", Map.of("id", id))).isError());
    }
    assertTrue(audited.contains("claude mcp:remember [work] 201"), audited::toString);
    assertTrue(audited.contains("claude mcp:remember [] 403"), audited::toString);
  }

  @Test
  void withoutAToken_theClientCannotConnect() {
    try (McpSyncClient c = client(null)) {
      assertThrows(RuntimeException.class, c::initialize);
    }
  }

  private static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }
}
