package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.index.Fusion;
import dev.mnode.node.aging.UseLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The use log on a real store: counts survive a reopen, a damaged file starts empty with a warning. */
class UseLogTest {
  @TempDir Path tmp;

  @Test
  void usesRoundTripThroughTheSealedFile_andForgottenIdsAreDropped() throws Exception {
    TestClock clock = new TestClock("2026-11-26T10:00:00Z");
    List<String> warnings = new ArrayList<>();
    try (LocalMemoryService svc = (LocalMemoryService) NodeTestSupport.init(tmp, "home", clock)) {
      Path home = svc.home().dir();
      try (UseLog log = new UseLog(home, svc.store(), clock, warnings::add)) {
        log.used(List.of("a", "b"));
        clock.advance(Duration.ofHours(1));
        log.used(List.of("a"));
      }
      assertTrue(Files.exists(home.resolve("uses.sealed")));
      try (UseLog back = new UseLog(home, svc.store(), clock, warnings::add)) {
        assertEquals(new Fusion.Use(2, Instant.parse("2026-11-26T11:00:00Z")), back.use("a"));
        assertEquals(new Fusion.Use(1, Instant.parse("2026-11-26T10:00:00Z")), back.use("b"));
        assertEquals(Fusion.Use.NEVER, back.use("c"));
        assertEquals(1, back.retainOnly(Set.of("a")));
      }
      try (UseLog back = new UseLog(home, svc.store(), clock, warnings::add)) {
        assertEquals(Fusion.Use.NEVER, back.use("b"), "dropped entries stay dropped");
        assertEquals(2, back.use("a").count());
      }
      assertEquals(List.of(), warnings);

      byte[] bytes = Files.readAllBytes(home.resolve("uses.sealed"));
      bytes[bytes.length / 2] ^= 1;
      Files.write(home.resolve("uses.sealed"), bytes);
      try (UseLog damaged = new UseLog(home, svc.store(), clock, warnings::add)) {
        assertEquals(Fusion.Use.NEVER, damaged.use("a"));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("the use log is damaged"), warnings.get(0));
        assertFalse(warnings.get(0).contains("\n"));
      }
    }
  }
}
