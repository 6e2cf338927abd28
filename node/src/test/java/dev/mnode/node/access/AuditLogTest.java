package dev.mnode.node.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's file: what it keeps, for how long, and what readers see. */
class AuditLogTest {
  @TempDir Path home;
  private Instant now = Instant.parse("2026-11-26T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };

  @Test
  void record_thenRead_filtersByAppAndTime_andTheFileIsOwnerOnly() throws Exception {
    try (AuditLog log = AuditLog.open(home, clock, 30, 1_000, w -> {})) {
      log.record("claude", "recall", Set.of("work"), 3, 200);
      now = now.plusSeconds(60);
      log.record("cursor", "remember", Set.of("personal"), 1, 201);
      log.record("-", "status", Set.of(), 0, 401);
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(AuditLog.FILE))));
    List<AuditEntry> all = AuditLog.read(home, Optional.empty(), Optional.empty());
    assertEquals(3, all.size());
    assertEquals(new AuditEntry(Instant.parse("2026-11-26T10:00:00Z"), "claude", "recall", new java.util.TreeSet<>(Set.of("work")), 3, 200), all.get(0));
    assertEquals(List.of("cursor"), AuditLog.read(home, Optional.of("cursor"), Optional.empty()).stream().map(AuditEntry::app).toList());
    assertEquals(2, AuditLog.read(home, Optional.empty(), Optional.of(Instant.parse("2026-11-26T10:01:00Z"))).size());
  }

  @Test
  void entriesOlderThanTheRetention_areDroppedWhenTheLogOpens() throws Exception {
    try (AuditLog log = AuditLog.open(home, clock, 7, 1_000, w -> {})) {
      log.record("old", "get", Set.of("work"), 1, 200);
    }
    now = now.plus(Duration.ofDays(8));
    try (AuditLog log = AuditLog.open(home, clock, 7, 1_000, w -> {})) {
      log.record("new", "get", Set.of("work"), 1, 200);
    }
    assertEquals(List.of("new"), AuditLog.read(home, Optional.empty(), Optional.empty()).stream().map(AuditEntry::app).toList());
  }

  @Test
  void theLogNeverHoldsMuchMoreThanMaxEntries_andKeepsTheNewest() throws Exception {
    int max = 100;
    try (AuditLog log = AuditLog.open(home, clock, 30, max, w -> {})) {
      for (int i = 0; i < 1_000; i++) {
        log.record("app" + i, "get", Set.of(), 1, 200);
      }
    }
    long lines = Files.readAllLines(home.resolve(AuditLog.FILE)).size();
    assertTrue(lines <= max + 100, "lines: " + lines);
    List<AuditEntry> kept = AuditLog.read(home, Optional.empty(), Optional.empty());
    assertEquals("app999", kept.get(kept.size() - 1).app());
    try (AuditLog log = AuditLog.open(home, clock, 30, max, w -> {})) {
      assertEquals(max, AuditLog.read(home, Optional.empty(), Optional.empty()).size(), "opening applies the bound exactly");
    }
  }

  @Test
  void aLineCutShort_isSkipped() throws Exception {
    try (AuditLog log = AuditLog.open(home, clock, 30, 1_000, w -> {})) {
      log.record("a", "get", Set.of(), 1, 200);
    }
    Files.writeString(home.resolve(AuditLog.FILE), "{\"time\":\"2026-11-2", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertEquals(1, AuditLog.read(home, Optional.empty(), Optional.empty()).size());
  }
}
