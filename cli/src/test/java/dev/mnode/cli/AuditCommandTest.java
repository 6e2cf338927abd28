package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.access.AuditLog;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mnode audit}: reads the log, filtered by app and time, as text or JSON. */
class AuditCommandTest {
  @TempDir Path tmp;

  @Test
  void audit_filtersByAppAndSince() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    try (AuditLog log = AuditLog.open(cli.home, cli.clock, 30, 1_000, w -> {})) {
      log.record("claude", "recall", Set.of("work"), 3, 200);
      log.record("cursor", "remember", Set.of("personal"), 1, 201);
    }
    JsonNode all = CliHarness.oneJson(cli.ok("audit", "--json"));
    assertEquals(2, all.size());
    assertEquals("claude", all.get(0).path("app").asText());
    assertEquals("recall", all.get(0).path("op").asText());
    assertEquals("work", all.get(0).path("classes").get(0).asText());
    assertEquals(3, all.get(0).path("count").asInt());
    assertEquals(200, all.get(0).path("status").asInt());

    JsonNode cursor = CliHarness.oneJson(cli.ok("audit", "--app", "cursor", "--json"));
    assertEquals(1, cursor.size());
    assertEquals("remember", cursor.get(0).path("op").asText());
    assertEquals(0, CliHarness.oneJson(cli.ok("audit", "--since", "2027-01-01", "--json")).size());
    String text = cli.ok("audit").out();
    assertTrue(text.contains("claude") && text.contains("recall") && text.contains("work"), text);
    CliHarness.assertFailed(cli.run("audit", "--since", "someday"), Mnode.EXIT_INVALID, "someday");
  }
}
