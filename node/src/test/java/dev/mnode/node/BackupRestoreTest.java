package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.RecoveryPhrase;
import dev.mnode.node.backup.BackupSummary;
import dev.mnode.node.backup.Backups;
import dev.mnode.node.backup.RecoveryPhrases;
import dev.mnode.node.backup.RestoreSummary;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.SyncFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home backed up, deleted and restored comes back whole: the same vault, device, state digest,
 * every memory field by field, every sync row and the same recovery phrase; its replica opens and
 * ingests what was written after its last ingest.
 */
class BackupRestoreTest {
  @TempDir Path tmp;

  static final String[] CLASSES = {"personal", "work", "health", "research"};

  /** Fills a home with memories in several classes, with tags, metadata, links, pins, edits and forgets. */
  static void fill(MemoryService svc, int n, TestClock clock) throws NodeException {
    svc.addClass("research");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clock.advance(java.time.Duration.ofMillis(1_003));
      Map<String, String> meta = i % 3 == 0 ? Map.of("project", "p" + (i % 7), "ticket", "T-" + i) : Map.of();
      List<String> links = i > 0 && i % 4 == 0 ? List.of(ids.get(i - 1)) : List.of();
      Memory m = svc.remember(new MemoryDraft(
          "memory number " + i + " about zanzibar-" + i, CLASSES[i % CLASSES.length], List.of("tag" + (i % 5), "quokka"),
          (i % 10) / 10.0, i % 2 == 0 ? "claude" : "cursor", i % 6 == 0, meta, links));
      ids.add(m.id().toString());
    }
    for (int i = 0; i < n; i += 7) {
      clock.advance(java.time.Duration.ofSeconds(1));
      svc.update(ids.get(i), new MemoryPatch("edited text " + i, null, List.of("edited"), 0.9, null, true, Map.of("k", "v"), null));
    }
    for (int i = 3; i < n; i += 11) {
      svc.forget(ids.get(i));
    }
  }

  private static Map<String, String> syncRows(MemoryStore store) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (SyncFamily f : SyncFamily.values()) {
      store.syncScanSealed(f, new byte[0], (k, c, v) -> {
        String key = new String(k, StandardCharsets.ISO_8859_1);
        if (!(f == SyncFamily.STATE && (key.equals("digests") || key.equals("ingested")))) {
          out.put(f.family() + "/" + HexFormat.of().formatHex(k), c + "/" + HexFormat.of().formatHex(v));
        }
        return true;
      });
    }
    return out;
  }

  @Test
  void backupDeleteRestore_bringsBackEveryFieldRowAndDigest() throws Exception {
    TestClock clock = new TestClock("2026-11-20T09:00:00Z");
    Home home = new Home(tmp.resolve("home"));
    Path archive = tmp.resolve("vault.mnbk");
    NodeStatus before;
    List<Memory> memories;
    Map<String, String> rows;
    String words;
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, clock)) {
      fill(svc, 300, clock);
      ((LocalMemoryService) svc).replica(); // documents, bundles and sync state now exist
      fill2(svc, clock); // and some writes the replica has not ingested
      before = svc.status();
      memories = svc.list(ListQuery.all(ListQuery.MAX_LIMIT));
      rows = syncRows(((LocalMemoryService) svc).store());
      try (RecoveryPhrases.Ensured p = NodeModule.recoveryPhrase(svc)) {
        assertFalse(p.madeNow(), "init made the phrase");
        words = p.phrase().words();
      }
      BackupSummary s = NodeModule.backup(svc, archive, NodeTestSupport.FAST, ProgressListener.NONE);
      assertEquals(memories.size(), s.memories());
      assertTrue(s.syncRows() > memories.size(), "documents and bundles are in: " + s.syncRows());
      assertFalse(s.phraseMadeNow());
    }
    for (SyncFamily f : List.of(SyncFamily.BUNDLES, SyncFamily.OPS, SyncFamily.STATE)) {
      assertTrue(rows.keySet().stream().anyMatch(k -> k.startsWith(f.family() + "/")), "rows of " + f.family());
    }
    deleteTree(home.dir());

    RestoreSummary r;
    try (RecoveryPhrase phrase = RecoveryPhrase.parse(words)) {
      r = Backups.restore(archive, phrase, home, null, NodeTestSupport.FAST, ProgressListener.NONE);
    }
    assertEquals(memories.size(), r.memories());
    assertEquals(before.vaultId(), r.vaultId());
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, clock)) {
      NodeStatus after = svc.status();
      assertEquals(before.digest(), after.digest());
      assertEquals(before.digests(), after.digests());
      assertEquals(before.vaultId(), after.vaultId());
      assertEquals(before.deviceId(), after.deviceId());
      assertEquals(before.created(), after.created());
      assertEquals(before.classes(), after.classes());
      List<Memory> back = svc.list(ListQuery.all(ListQuery.MAX_LIMIT));
      assertEquals(memories.size(), back.size());
      for (int i = 0; i < memories.size(); i++) {
        assertEquals(memories.get(i), back.get(i), "memory " + memories.get(i).id());
      }
      assertEquals(rows, syncRows(((LocalMemoryService) svc).store()));
      try (RecoveryPhrases.Ensured p = NodeModule.recoveryPhrase(svc)) {
        assertEquals(words, p.phrase().words());
      }
      // The replica reopens over the restored rows and takes in what was not yet ingested.
      int pending = ((LocalMemoryService) svc).replica().ingest();
      assertEquals(0, pending, "the first open already ingested");
      assertEquals(before.digest(), svc.status().digest());
      assertFalse(svc.recall(RecallQuery.of("zanzibar-12"), ProgressListener.NONE).isEmpty(),
          "recall rebuilds its index from the restored rows");
    }
  }

  /** Writes after the replica's ingest: an edit, a forget and a new memory. */
  private static void fill2(MemoryService svc, TestClock clock) throws NodeException {
    List<Memory> some = svc.list(ListQuery.all(5));
    clock.advance(java.time.Duration.ofSeconds(5));
    svc.update(some.get(0).id().toString(), new MemoryPatch("changed after ingest", null, null, null, null, null, Map.of(), null));
    svc.forget(some.get(1).id().toString());
    svc.remember(MemoryDraft.of("new after ingest"));
  }

  @Test
  void restore_intoNonEmptyHome_isRefusedAndChangesNothing() throws Exception {
    TestClock clock = new TestClock("2026-11-20T09:00:00Z");
    Home home = new Home(tmp.resolve("home"));
    Path archive = tmp.resolve("a.mnbk");
    String words;
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, clock)) {
      svc.remember(MemoryDraft.of("one"));
      NodeModule.backup(svc, archive, NodeTestSupport.FAST, ProgressListener.NONE);
      try (RecoveryPhrases.Ensured p = NodeModule.recoveryPhrase(svc)) {
        words = p.phrase().words();
      }
    }
    Path other = tmp.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "mine");
    for (Path target : List.of(home.dir(), other)) {
      try (RecoveryPhrase phrase = RecoveryPhrase.parse(words)) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> Backups.restore(archive, phrase, new Home(target), null, NodeTestSupport.FAST, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
      }
    }
    assertEquals("mine", Files.readString(other.resolve("notes.txt")));
    try (Stream<Path> s = Files.list(other)) {
      assertEquals(1, s.count());
    }
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, clock)) {
      assertEquals(1, svc.status().count());
    }
  }

  static void deleteTree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
