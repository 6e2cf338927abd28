package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mnode mcp} as a desktop client runs it: the official SDK's client starts the real process
 * and speaks MCP over its stdin and stdout.
 */
class McpStdioTest {
  @TempDir Path tmp;

  private McpSyncClient client(Path home, String token) throws Exception {
    Path natives = Files.createDirectories(tmp.resolve("rocksdb-native"));
    Map<String, String> env = new HashMap<>();
    env.put("ROCKSDB_SHAREDLIB_DIR", natives.toString());
    if (token != null) {
      env.put("MNODE_TOKEN", token);
    }
    ServerParameters params =
        ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            .args("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Mnode.class.getName(), "--home", home.toString(), "mcp")
            .env(env)
            .build();
    StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(line -> {});
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(120)).build();
  }

  @Test
  void withAnAppToken_andNoNode_theToolsWorkWithinItsScope_andAreAudited() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    cli.remember("My blood pressure medication is lisinopril", "--class", "health");
    String token = CliHarness.oneJson(cli.ok("apps", "add", "claude", "--classes", "work", "--ops", "read,write", "--json")).path("token").asText();
    try (McpSyncClient c = client(cli.home, token)) {
      c.initialize();
      assertEquals(7, c.listTools().tools().size());
      McpSchema.CallToolResult made =
          c.callTool(new McpSchema.CallToolRequest("remember", Map.of("text", "We chose Stripe over Adyen for payments", "class", "work")));
      assertFalse(Boolean.TRUE.equals(made.isError()), made::toString);
      McpSchema.CallToolResult found = c.callTool(new McpSchema.CallToolRequest("recall", Map.of("query", "payment provider medication")));
      JsonNode results = CliHarness.JSON.readTree(text(found)).path("results");
      assertEquals("We chose Stripe over Adyen for payments", results.get(0).path("text").asText());
      results.forEach(r -> assertEquals("work", r.path("class").asText()));
      assertTrue(c.callTool(new McpSchema.CallToolRequest("remember", Map.of("text", "x", "class", "health"))).isError());
    }
    List<String> ops = new ArrayList<>();
    CliHarness.oneJson(cli.ok("audit", "--app", "claude", "--json")).forEach(e -> ops.add(e.path("op").asText() + " " + e.path("status").asInt()));
    assertEquals(List.of("mcp:remember 201", "mcp:recall 200", "mcp:remember 403"), ops);
  }

  @Test
  void withARunningNode_itGoesThroughTheNode() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String token = CliHarness.oneJson(cli.ok("apps", "add", "claude", "--classes", "work", "--ops", "read,write", "--json")).path("token").asText();
    try (NodeProcess node = new NodeProcess(cli.home, tmp)) {
      try (McpSyncClient c = client(cli.home, token)) {
        c.initialize();
        McpSchema.CallToolResult made =
            c.callTool(new McpSchema.CallToolRequest("remember", Map.of("text", "Standup moves to 9:30", "class", "work")));
        assertFalse(Boolean.TRUE.equals(made.isError()), made::toString);
        assertEquals("claude", CliHarness.JSON.readTree(text(made)).path("source").asText());
      }
      // The node recorded the app's access itself.
      JsonNode audit = CliHarness.oneJson(cli.ok("audit", "--app", "claude", "--json"));
      assertTrue(audit.toString().contains("\"op\":\"remember\""), audit::toString);
      assertEquals(143, node.stop(), node::err);
    }
  }

  @Test
  void aWrongToken_isRefusedAtStart() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    cli.env.put("MNODE_TOKEN", "mnode_not-a-token");
    CliHarness.assertFailed(cli.run("mcp"), Mnode.EXIT_INVALID, "MNODE_TOKEN is not a token of this home");
  }

  private static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }
}
