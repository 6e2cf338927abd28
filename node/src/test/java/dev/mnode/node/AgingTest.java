package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.aging.CompactReport;
import dev.mnode.node.aging.Compactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aging end to end on a real store and the real model: use counts in the sealed side file,
 * archiving by age, use and importance, the dry-run plan, groups of near-duplicates that never mix
 * classes, and compact without a summarize endpoint (nothing summarized, nothing connected).
 */
class AgingTest {
  @TempDir Path tmp;

  private final TestClock clock = new TestClock("2026-01-01T00:00:00Z");

  private Home home() {
    return new Home(tmp.resolve("home"));
  }

  private MemoryService open() throws NodeException {
    return NodeModule.open(home(), PassphraseSource.NONE, clock);
  }

  private static MemoryDraft draft(String text, String c, double importance, boolean pinned) {
    return new MemoryDraft(text, c, List.of(), importance, null, pinned, Map.of(), List.of());
  }

  private static List<String> ids(List<RecallHit> hits) {
    return hits.stream().map(h -> h.memory().id().toString()).toList();
  }

  @Test
  void oldUnimportantUnusedMemories_areArchived_outOfDefaultRecallAndList_butGetWorks() throws Exception {
    String lowOld;
    String lowRecalled;
    String lowPinned;
    String important;
    String lowYoung;
    try (MemoryService svc = NodeTestSupport.init(tmp, "home", clock)) {
      lowOld = svc.remember(draft("The office wifi password rotates every quarter.", "work", 0.1, false)).id().toString();
      lowRecalled = svc.remember(draft("The parking garage closes at 22:00.", "work", 0.1, false)).id().toString();
      lowPinned = svc.remember(draft("Emergency contact is my sister Ana.", "personal", 0.1, true)).id().toString();
      important = svc.remember(draft("I am allergic to penicillin.", "health", 0.9, false)).id().toString();
      clock.advance(Duration.ofDays(100));
      lowYoung = svc.remember(draft("The team lunch is on Thursdays.", "work", 0.1, false)).id().toString();
    }
    clock.advance(Duration.ofDays(100)); // lowOld etc. are 200 days old, lowYoung 100
    try (MemoryService svc = open()) {
      RecallQuery parking = new RecallQuery("when does the parking garage close", 1, List.of(), List.of(), null, null, null);
      assertEquals(List.of(lowRecalled), ids(svc.recall(parking, ProgressListener.NONE)), "only what recall returns is used");
    }
    clock.advance(Duration.ofDays(1));
    CompactReport plan;
    try (MemoryService svc = open()) { // the use survives a reopen: it is in the sealed side file
      assertTrue(Files.exists(home().dir().resolve("uses.sealed")));
      assertFalse(new String(Files.readAllBytes(home().dir().resolve("uses.sealed")), StandardCharsets.ISO_8859_1).contains(lowRecalled));
      plan = NodeModule.compact(svc, true, ProgressListener.NONE);
      assertTrue(plan.dryRun());
      assertEquals(Map.of("work", List.of(lowOld)), plan.archive());
      assertTrue(plan.summarize().isEmpty());
      // (list, unlike get, is not a use: a get here would make lowOld recent again)
      assertTrue(svc.list(ListQuery.all(100)).stream().anyMatch(m -> m.id().toString().equals(lowOld)), "a dry run writes nothing");
      CompactReport done = NodeModule.compact(svc, false, ProgressListener.NONE);
      assertFalse(done.dryRun());
      assertEquals(plan.archive(), done.archive());
      assertTrue(Compactor.isArchived(svc.get(lowOld)), "get always works, and shows the flag");
      for (String id : List.of(lowRecalled, lowPinned, important, lowYoung)) {
        assertFalse(Compactor.isArchived(svc.get(id)), id);
      }
      RecallQuery wifi = RecallQuery.of("office wifi password");
      assertFalse(ids(svc.recall(wifi, ProgressListener.NONE)).contains(lowOld));
      RecallQuery withArchived = new RecallQuery(wifi.query(), 10, List.of(), List.of(), null, null, null, true);
      assertEquals(lowOld, ids(svc.recall(withArchived, ProgressListener.NONE)).get(0));
      assertFalse(svc.list(ListQuery.all(100)).stream().anyMatch(m -> m.id().toString().equals(lowOld)));
      assertTrue(new ListQuery(List.of(), null, null, null, null, 100, true).archived());
      assertTrue(svc.list(new ListQuery(List.of(), null, null, null, null, 100, true)).stream()
          .anyMatch(m -> m.id().toString().equals(lowOld)));
      // A second run finds it already archived and has nothing left to do.
      CompactReport again = NodeModule.compact(svc, true, ProgressListener.NONE);
      assertEquals(1, again.alreadyArchived());
      assertEquals(0, again.archiveCount());
      // Clearing the flag unarchives.
      svc.update(lowOld, new MemoryPatch(null, null, null, null, null, null, Map.of(Compactor.ARCHIVED, ""), null));
      assertTrue(ids(svc.recall(wifi, ProgressListener.NONE)).contains(lowOld));
    }
  }

  @Test
  void nearDuplicateOldMemories_formGroupsWithinOneClassOnly_andNothingIsSummarizedWithoutAnEndpoint() throws Exception {
    List<String> work;
    String personalTwin;
    String unrelated;
    try (MemoryService svc = NodeTestSupport.init(tmp, "home", clock)) {
      work = List.of(
          svc.remember(draft("We chose Stripe for card payments.", "work", 0.5, false)).id().toString(),
          svc.remember(draft("We chose Stripe for our card payments.", "work", 0.5, false)).id().toString(),
          svc.remember(draft("We have chosen Stripe for card payments.", "work", 0.5, false)).id().toString());
      personalTwin = svc.remember(draft("We chose Stripe for card payments.", "personal", 0.5, false)).id().toString();
      unrelated = svc.remember(draft("The staging database runs Postgres 16.", "work", 0.5, false)).id().toString();
    }
    clock.advance(Duration.ofDays(365));
    try (MemoryService svc = open()) {
      CompactReport plan = NodeModule.compact(svc, true, ProgressListener.NONE);
      assertEquals(1, plan.groups().size(), plan.groups().toString());
      CompactReport.Group g = plan.groups().get(0);
      assertEquals("work", g.memoryClass());
      assertEquals(work, g.ids());
      assertTrue(g.minSimilarity() >= 0.85);
      assertFalse(g.ids().contains(personalTwin));
      assertFalse(g.ids().contains(unrelated));
      assertEquals(0, plan.archiveCount(), "importance 0.5 is above the floor");
      CompactReport done = NodeModule.compact(svc, false, ProgressListener.NONE);
      assertEquals(List.of(java.util.Optional.empty()), done.summaryIds());
      assertEquals(5, svc.status().count(), "without an endpoint nothing is summarized or archived");
      for (String id : work) {
        assertFalse(Compactor.isArchived(svc.get(id)));
      }
    }
  }

  @Test
  void agingConfig_isRead_andBadKeysOrValuesAreOneLineErrors() throws Exception {
    try (MemoryService svc = NodeTestSupport.init(tmp, "home", clock)) {
      svc.remember(draft("The office wifi password rotates every quarter.", "work", 0.5, false));
    }
    Path config = home().dir().resolve("config.json");
    clock.advance(Duration.ofDays(40));
    Files.writeString(config, "{\"aging\": {\"archive_after_days\": 30, \"importance_floor\": 0.6}}");
    try (MemoryService svc = open()) {
      assertEquals(1, NodeModule.compact(svc, true, ProgressListener.NONE).archiveCount());
    }
    for (String bad : List.of(
        "{\"aging\": {\"archive_after\": 30}}",
        "{\"aging\": {\"importance_floor\": 2}}",
        "{\"aging\": {\"half_life_days\": \"ninety\"}}",
        "{\"summarize\": {\"endpoint\": \"http://127.0.0.1:11434/v1\"}}",
        "{\"summarize\": {\"endpoint\": \"ftp://x\", \"model\": \"m\"}}")) {
      Files.writeString(config, bad);
      NodeException e = assertThrows(NodeException.class, this::open, bad);
      assertTrue(e.getMessage().contains("config.json") && !e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
