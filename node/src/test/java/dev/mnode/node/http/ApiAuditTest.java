package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.AuditEntry;
import dev.mnode.node.access.AuditLog;
import dev.mnode.node.access.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every API access is in the audit log: who, what, which classes, how many; never the text or query. */
class ApiAuditTest {
  @TempDir Path tmp;

  @Test
  void everyAccess_isRecorded_withoutText() throws Exception {
    Path homeDir = tmp.resolve("home");
    AuditLog[] log = new AuditLog[1];
    AccessLog sink = (app, op, classes, count, status) -> log[0].record(app, op, classes, count, status);
    try (LiveNode node = new LiveNode(tmp, null, sink)) {
      log[0] = AuditLog.open(homeDir, Clock.systemUTC(), 30, 1_000, w -> {});
      String app = AppRegistry.of(homeDir).add("claude", Set.of("work"), Set.of(Op.READ, Op.WRITE), Instant.now());
      String secret = "The launch code is swordfish-4711";
      assertEquals(201, Raw.call(node.port, "POST", "/v1/memories", app, "{\"text\":\"" + secret + "\",\"class\":\"work\"}").status());
      Raw.Response recall = Raw.call(node.port, "POST", "/v1/recall", app, "{\"query\":\"what is the launch code zebra?\"}");
      assertEquals(1, recall.json().path("results").size(), recall::toString);
      assertEquals(403, Raw.call(node.port, "POST", "/v1/memories", app, "{\"text\":\"x\",\"class\":\"health\"}").status());
      assertEquals(401, Raw.get(node.port, "/v1/status", "mnode_wrong").status());
      assertEquals(200, node.get("/v1/classes").status());
      assertEquals(200, Raw.get(node.port, "/health", null).status());
    }
    log[0].close();

    List<AuditEntry> entries = AuditLog.read(homeDir, Optional.empty(), Optional.empty());
    List<String> seen = entries.stream().map(e -> e.app() + " " + e.operation() + " " + e.classes() + " " + e.count() + " " + e.status()).toList();
    assertEquals(
        List.of(
            "claude remember [work] 1 201",
            "claude recall [work] 1 200",
            "claude remember [] 0 403",
            "- status [] 0 401",
            "owner classes [financial, health, other, personal, work] 5 200"),
        seen);
    String file = Files.readString(homeDir.resolve(AuditLog.FILE));
    assertFalse(file.contains("swordfish"), "no memory text");
    assertFalse(file.contains("zebra"), "no query text");
    assertTrue(file.contains("\"op\":\"recall\""));
  }
}
