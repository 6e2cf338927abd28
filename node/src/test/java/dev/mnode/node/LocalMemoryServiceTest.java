package dev.mnode.node;

import static dev.mnode.node.NodeTestSupport.count;
import static dev.mnode.node.NodeTestSupport.export;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remember, get, update, forget and list through the real service over a real RocksDB home. */
class LocalMemoryServiceTest {
  @TempDir Path tmp;

  private final TestClock clock = new TestClock("2026-11-26T10:00:00.123456789Z");
  private MemoryService svc;

  @BeforeEach
  void open() throws Exception {
    svc = NodeTestSupport.init(tmp, "home", clock);
  }

  @AfterEach
  void close() {
    svc.close();
  }

  private Memory remember(String text, String cls, List<String> tags, String source)
      throws NodeException {
    clock.advance(Duration.ofSeconds(1));
    return svc.remember(new MemoryDraft(text, cls, tags, null, source, false, Map.of(), List.of()));
  }

  private static List<MemoryId> ids(List<Memory> ms) {
    return ms.stream().map(Memory::id).toList();
  }

  private static List<String> texts(List<Memory> ms) {
    return ms.stream().map(Memory::text).toList();
  }

  @Test
  void remember_textAndClassOnly_takesDefaults_importanceHalf() throws Exception {
    Memory m = svc.remember(otherDraft("just text"));
    assertEquals("just text", m.text());
    assertEquals(MemoryClass.OTHER, m.memoryClass());
    assertEquals(0.5, m.importance());
    assertEquals("", m.source());
    assertFalse(m.pinned());
    assertEquals(List.of(), m.tags());
    assertEquals(Map.of(), m.metadata());
    assertEquals(List.of(), m.links());
    assertEquals(clock.instant(), m.created());
    assertEquals(m.created(), m.updated());
    assertEquals(7, m.id().uuid().version(), "generated ids are UUIDv7");
    assertEquals(m, svc.get(m.id().toString()));
  }

  @Test
  void remember_everyField_isKept_andSurvivesReopen() throws Exception {
    Memory target = svc.remember(otherDraft("target"));
    Memory m =
        svc.remember(
            new MemoryDraft(
                "We chose Stripe — für Zahlungen 決定 🚀",
                "work",
                List.of("payments", "decision"),
                0.123456789,
                "claude",
                true,
                Map.of("project", "atlas", "empty", ""),
                List.of(target.id().toString())));
    assertEquals(MemoryClass.WORK, m.memoryClass());
    assertEquals(List.of("payments", "decision"), m.tags());
    assertEquals(0.123456789, m.importance());
    assertEquals("claude", m.source());
    assertTrue(m.pinned());
    assertEquals(Map.of("project", "atlas", "empty", ""), m.metadata());
    assertEquals(List.of(target.id()), m.links());
    svc.close();
    svc = NodeModule.open(new Home(tmp.resolve("home")), PassphraseSource.NONE, clock);
    assertEquals(m, svc.get(m.id().toString()));
    assertEquals(target, svc.get(target.id().toString()));
  }

  @Test
  void get_acceptsUppercaseId() throws Exception {
    Memory m = svc.remember(otherDraft("x"));
    assertEquals(m, svc.get(m.id().toString().toUpperCase(java.util.Locale.ROOT)));
  }

  @Test
  void update_replacesTags_keepsOtherFields_andMovesUpdatedOnly() throws Exception {
    Memory m =
        svc.remember(
            new MemoryDraft(
                "text", "work", List.of("a", "b"), 0.7, "cli", true, Map.of("k", "v"), List.of()));
    clock.advance(Duration.ofMinutes(5));
    Memory u =
        svc.update(
            m.id().toString(),
            new MemoryPatch(null, null, List.of("c"), null, null, null, Map.of(), null));
    assertEquals(List.of("c"), u.tags());
    assertEquals(m.text(), u.text());
    assertEquals(m.memoryClass(), u.memoryClass());
    assertEquals(m.importance(), u.importance());
    assertEquals(m.source(), u.source());
    assertEquals(m.pinned(), u.pinned());
    assertEquals(m.metadata(), u.metadata());
    assertEquals(m.created(), u.created());
    assertEquals(clock.instant(), u.updated());
    assertEquals(u, svc.get(m.id().toString()));
  }

  @Test
  void update_everyField_isApplied() throws Exception {
    Memory other = svc.remember(otherDraft("other"));
    Memory m = svc.remember(otherDraft("before"));
    Memory u =
        svc.update(
            m.id().toString(),
            new MemoryPatch(
                "after", "health", List.of("t"), 0.9, "mcp", true, Map.of("x", "1"),
                List.of(other.id().toString())));
    assertEquals("after", u.text());
    assertEquals(MemoryClass.HEALTH, u.memoryClass());
    assertEquals(List.of("t"), u.tags());
    assertEquals(0.9, u.importance());
    assertEquals("mcp", u.source());
    assertTrue(u.pinned());
    assertEquals(Map.of("x", "1"), u.metadata());
    assertEquals(List.of(other.id()), u.links());
    Memory unpinned =
        svc.update(
            m.id().toString(), new MemoryPatch(null, null, null, null, null, false, Map.of(), null));
    assertFalse(unpinned.pinned());
    assertEquals(List.of(u.id()), ids(svc.list(q(List.of("health"), null, null, 10))));
  }

  @Test
  void update_metaWithEmptyValue_removesThatKey_andSetsOthers() throws Exception {
    Memory m =
        svc.remember(
            new MemoryDraft(
                "text", "other", List.of(), null, null, false, Map.of("keep", "1", "drop", "2", "change", "3"),
                List.of()));
    Map<String, String> patch = new HashMap<>();
    patch.put("drop", "");
    patch.put("change", "33");
    patch.put("add", "4");
    Memory u =
        svc.update(m.id().toString(), new MemoryPatch(null, null, null, null, null, null, patch, null));
    assertEquals(Map.of("keep", "1", "change", "33", "add", "4"), u.metadata());
    assertEquals(u.metadata(), svc.get(m.id().toString()).metadata());
  }

  @Test
  void update_unknownId_throwsNotFound_andChangesNothing() throws Exception {
    svc.remember(otherDraft("x"));
    byte[] before = export(svc);
    String unknown = MemoryId.generate(clock).toString();
    NotFoundException e =
        assertThrows(
            NotFoundException.class,
            () ->
                svc.update(
                    unknown, new MemoryPatch("y", null, null, null, null, null, Map.of(), null)));
    assertEquals("no memory with id " + unknown, e.getMessage());
    assertArrayEquals(before, export(svc));
  }

  @Test
  void update_emptyPatch_isInvalidInput() throws Exception {
    Memory m = svc.remember(otherDraft("x"));
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                svc.update(
                    m.id().toString(),
                    new MemoryPatch(null, null, null, null, null, null, Map.of(), null)));
    assertTrue(e.getMessage().startsWith("nothing to update"), e.getMessage());
    assertEquals(m, svc.get(m.id().toString()));
  }

  @Test
  void forget_deletes_thenGetAndForgetSayNotFound() throws Exception {
    Memory keep = svc.remember(otherDraft("keep"));
    Memory m = svc.remember(otherDraft("drop"));
    svc.forget(m.id().toString());
    assertThrows(NotFoundException.class, () -> svc.get(m.id().toString()));
    assertThrows(NotFoundException.class, () -> svc.forget(m.id().toString()));
    assertEquals(1, count(svc));
    assertEquals(List.of(keep), svc.list(ListQuery.all(10)));
  }

  @Test
  void list_noFilter_isNewestFirst() throws Exception {
    for (int i = 0; i < 5; i++) {
      remember("m" + i, null, List.of(), "cli");
    }
    assertEquals(List.of("m4", "m3", "m2", "m1", "m0"), texts(svc.list(ListQuery.all(100))));
  }

  @Test
  void list_filtersByClass_severalClasses_tag_source_newestFirst() throws Exception {
    remember("w1", "work", List.of("a"), "cli");
    remember("p1", "personal", List.of("b"), "claude");
    remember("h1", "health", List.of("a", "b"), "cli");
    remember("w2", "work", List.of("b"), "claude");
    remember("p2", "personal", List.of("a"), "cli");
    remember("o1", "other", List.of(), "cli");

    assertEquals(List.of("w2", "w1"), texts(svc.list(q(List.of("work"), null, null, 100))));
    assertEquals(
        List.of("p2", "w2", "p1", "w1"),
        texts(svc.list(q(List.of("work", "personal"), null, null, 100))));
    assertEquals(
        List.of("p2", "w2"), texts(svc.list(q(List.of("personal", "work"), null, null, 2))));
    assertEquals(List.of("p2", "h1", "w1"), texts(svc.list(q(List.of(), "a", null, 100))));
    assertEquals(List.of("w2", "p1"), texts(svc.list(q(List.of(), null, "claude", 100))));
    assertEquals(List.of("w2"), texts(svc.list(q(List.of("work"), "b", "claude", 100))));
    assertEquals(List.of(), texts(svc.list(q(List.of("financial"), null, null, 100))));
  }

  @Test
  void list_sameClassTwice_listsEachMemoryOnce() throws Exception {
    remember("w1", "work", List.of(), "cli");
    remember("w2", "work", List.of(), "cli");
    assertEquals(List.of("w2", "w1"), texts(svc.list(q(List.of("work", "work"), null, null, 100))));
  }

  @Test
  void list_limit_keepsTheNewest() throws Exception {
    for (int i = 0; i < 10; i++) {
      remember("m" + i, i % 2 == 0 ? "work" : "other", List.of(), "cli");
    }
    assertEquals(List.of("m9", "m8", "m7"), texts(svc.list(ListQuery.all(3))));
    assertEquals(List.of("m8", "m6"), texts(svc.list(q(List.of("work"), null, null, 2))));
    assertEquals(
        List.of("m9", "m8", "m7"), texts(svc.list(q(List.of("other", "work"), null, null, 3))));
  }

  @Test
  void list_sinceUntil_isHalfOpenOnCreated() throws Exception {
    clock.set(Instant.parse("2026-01-01T00:00:00Z"));
    svc.remember(otherDraft("jan"));
    clock.set(Instant.parse("2026-02-01T00:00:00Z"));
    svc.remember(otherDraft("feb"));
    clock.set(Instant.parse("2026-03-01T00:00:00Z"));
    svc.remember(otherDraft("mar"));
    Instant feb = Instant.parse("2026-02-01T00:00:00Z");
    Instant mar = Instant.parse("2026-03-01T00:00:00Z");
    assertEquals(List.of("mar", "feb"), texts(svc.list(new ListQuery(List.of(), null, null, feb, null, 100))));
    assertEquals(List.of("jan"), texts(svc.list(new ListQuery(List.of(), null, null, null, feb, 100))));
    assertEquals(List.of("feb"), texts(svc.list(new ListQuery(List.of(), null, null, feb, mar, 100))));
    assertEquals(List.of(), texts(svc.list(new ListQuery(List.of(), null, null, mar, feb, 100))));
  }

  @Test
  void list_unknownOrInvalidClass_isInvalidInput() throws Exception {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> svc.list(q(List.of("legal"), null, null, 10)));
    assertTrue(e.getMessage().contains("unknown class \"legal\""), e.getMessage());
    assertThrows(InvalidInputException.class, () -> svc.list(q(List.of("Work"), null, null, 10)));
  }

  @Test
  void classes_builtIns_thenAddClass_makesItUsable() throws Exception {
    assertEquals(List.of("financial", "health", "other", "personal", "work"), svc.classes());
    assertTrue(svc.addClass("legal"));
    assertFalse(svc.addClass("legal"));
    Memory m =
        svc.remember(new MemoryDraft("x", "legal", List.of(), null, null, false, Map.of(), List.of()));
    assertEquals(new MemoryClass("legal"), m.memoryClass());
    assertEquals(1L, svc.status().classes().get("legal"));
    assertThrows(InvalidInputException.class, () -> svc.addClass("Legal"));
  }

  @Test
  void status_countsPerClass() throws Exception {
    remember("a", "work", List.of(), "cli");
    remember("b", "work", List.of(), "cli");
    remember("c", "other", List.of(), "cli");
    NodeStatus s = svc.status();
    assertEquals(3, s.count());
    assertEquals(2L, s.classes().get("work"));
    assertEquals(1L, s.classes().get("other"));
    assertEquals(0L, s.classes().get("health"));
    assertEquals(2, s.schema());
    assertFalse(s.passphraseProtected());
    assertEquals(tmp.resolve("home").toAbsolutePath(), s.home());
  }

  private static ListQuery q(List<String> classes, String tag, String source, int limit) {
    return new ListQuery(classes, tag, source, null, null, limit);
  }

  /**
   * A draft of class other with everything else default. These tests are about storage, not
   * classification (ClassifyOnRememberTest), so they name the class.
   */
  private static MemoryDraft otherDraft(String text) {
    return new MemoryDraft(text, "other", List.of(), null, null, false, Map.of(), List.of());
  }
}
