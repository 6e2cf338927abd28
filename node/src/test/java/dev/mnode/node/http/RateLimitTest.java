package dev.mnode.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.Op;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A burst beyond a token's rate limit is answered 429 with Retry-After; other tokens are not affected. */
class RateLimitTest {
  @TempDir Path tmp;

  @Test
  void burstBeyondTheLimit_is429_withRetryAfter_perToken() throws Exception {
    try (LiveNode node = new LiveNode(tmp, "{\"server\": {\"requests_per_minute\": 1, \"burst\": 3}}", AccessLog.NONE)) {
      String app = AppRegistry.of(node.home.dir()).add("busy", Set.of("work"), Set.of(Op.READ), Instant.now());
      for (int i = 0; i < 3; i++) {
        assertEquals(200, Raw.get(node.port, "/v1/classes", app).status());
      }
      Raw.Response limited = Raw.get(node.port, "/v1/classes", app);
      assertEquals(429, limited.status(), limited::toString);
      assertEquals("rate_limited", limited.errorCode());
      long retry = Long.parseLong(limited.headers().get("retry-after"));
      assertTrue(retry >= 1 && retry <= 60, limited::toString);
      // The owner has a bucket of its own, and /health needs none.
      assertEquals(200, node.get("/v1/classes").status());
      assertEquals(200, Raw.get(node.port, "/health", null).status());
    }
  }
}
