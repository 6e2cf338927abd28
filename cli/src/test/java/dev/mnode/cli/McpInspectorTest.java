package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mnode mcp} against a client nobody here wrote: the MCP Inspector from npm (version pinned
 * by {@code cli/interop/package-lock.json}) in its CLI mode, as a user checks a connection. Each
 * call is one Inspector process that starts the real {@code mnode mcp} process over stdio, with
 * the app token in its environment as a desktop client's config gives it.
 */
@Timeout(300)
class McpInspectorTest {
  private static final Path INSPECTOR =
      Path.of("interop", "node_modules", "@modelcontextprotocol", "inspector", "cli", "build", "cli.js");
  private static final long CALL_SECONDS = 120;

  @TempDir Path tmp;

  @BeforeAll
  static void requireInspector() {
    if (!Files.isRegularFile(INSPECTOR)) {
      fail("the MCP Inspector is not installed for this test: run `npm ci --prefix cli/interop` "
          + "from the repository root (needs Node.js 20+ and npm)");
    }
  }

  @Test
  void inspectorCli_listsTheTools_thenRemembersAndRecalls_withinTheTokensScope() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    cli.remember("My blood pressure medication is lisinopril", "--class", "health");
    String token = CliHarness.oneJson(cli.ok("apps", "add", "inspector", "--classes", "work", "--ops", "read,write", "--json")).path("token").asText();
    Path server = serverScript(cli.home);

    JsonNode listed = inspector(server, token, "--method", "tools/list");
    Set<String> names = new TreeSet<>();
    listed.path("tools").forEach(t -> {
      names.add(t.path("name").asText());
      assertEquals("object", t.path("inputSchema").path("type").asText(), t::toString);
      assertFalse(t.path("description").asText().isBlank(), t::toString);
    });
    assertEquals(
        Set.of("remember", "recall", "get_memory", "update_memory", "forget", "list_memories", "list_classes"),
        names);

    JsonNode made = inspector(server, token, "--method", "tools/call", "--tool-name", "remember",
        "--tool-arg", "text=We chose Stripe over Adyen for payments", "--tool-arg", "class=work");
    assertFalse(made.path("isError").asBoolean(), made::toString);
    JsonNode memory = CliHarness.JSON.readTree(text(made));
    assertEquals("work", memory.path("class").asText(), memory::toString);
    assertEquals("inspector", memory.path("source").asText(), memory::toString);

    JsonNode found = inspector(server, token, "--method", "tools/call", "--tool-name", "recall",
        "--tool-arg", "query=payment provider medication");
    assertFalse(found.path("isError").asBoolean(), found::toString);
    JsonNode results = CliHarness.JSON.readTree(text(found)).path("results");
    assertEquals("We chose Stripe over Adyen for payments", results.path(0).path("text").asText(), results::toString);
    results.forEach(r -> assertEquals("work", r.path("class").asText(), "a work token never sees health"));

    List<String> ops = new ArrayList<>();
    CliHarness.oneJson(cli.ok("audit", "--app", "inspector", "--json")).forEach(e -> ops.add(e.path("op").asText() + " " + e.path("status").asInt()));
    assertTrue(ops.containsAll(List.of("mcp:remember 201", "mcp:recall 200")), ops::toString);
  }

  /**
   * The MCP server command the Inspector starts: {@code mnode --home HOME mcp} on this test's class
   * path (the Inspector passes its own arguments on, so the JVM's go in a script).
   */
  private Path serverScript(Path home) throws IOException {
    Path natives = Files.createDirectories(tmp.resolve("rocksdb-native"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script = "#!/bin/sh\n"
        + "ROCKSDB_SHAREDLIB_DIR=" + quote(natives.toString()) + " exec " + quote(java)
        + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp " + quote(System.getProperty("java.class.path"))
        + " " + Mnode.class.getName() + " --home " + quote(home.toString()) + " mcp\n";
    Path file = tmp.resolve("mnode-mcp.sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /** Runs {@code node cli.js --cli -e MNODE_TOKEN=... SERVER ARGS} and returns its JSON answer. */
  private JsonNode inspector(Path server, String token, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", INSPECTOR.toString(), "--cli", "-e", "MNODE_TOKEN=" + token, server.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("MNODE_") || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
    Path out = tmp.resolve("inspector.out");
    Path err = tmp.resolve("inspector.err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process p = pb.start();
    if (!p.waitFor(CALL_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("the Inspector did not finish within " + CALL_SECONDS + " s: " + Files.readString(err));
    }
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    assertEquals(0, p.exitValue(), () -> "the Inspector failed: " + stdout + stderr);
    return CliHarness.JSON.readTree(stdout);
  }

  private static String text(JsonNode callResult) {
    JsonNode content = callResult.path("content").path(0);
    assertEquals("text", content.path("type").asText(), callResult::toString);
    return content.path("text").asText();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
