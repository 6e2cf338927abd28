package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.StoreException;
import dev.mnode.store.SyncFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync state beside the memory rows (schema 2): batches of rows and sync values land together or
 * not at all, survive reopening, read back in key order, stay sealed on disk, and do not open when
 * moved to another key; a schema 1 store gains the sync families when opened.
 */
class SyncStateTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
  @TempDir Path tmp;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Memory memory(String text, MemoryClass c) {
    return Memory.builder(MemoryId.generate(CLOCK), text, CLOCK.instant()).memoryClass(c).build();
  }

  @Test
  void aBatchOfRowsAndSyncValues_landsTogether_andSurvivesReopening() throws Exception {
    StorageKey master = StorageKey.generate();
    Path dir = tmp.resolve("s");
    Memory m = memory("a decision", MemoryClass.WORK);
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.of(master.material()), CLOCK)) {
      long before = s.changeSeq();
      s.write(new StoreBatch()
          .put(m)
          .putSync(SyncFamily.DOCS, m.id().toBytes(), Optional.of(MemoryClass.WORK), b("automerge bytes"))
          .putSync(SyncFamily.BUNDLES, b("tag/author/0002"), b("bundle 2"))
          .putSync(SyncFamily.BUNDLES, b("tag/author/0001"), b("bundle 1"))
          .putSync(SyncFamily.BUNDLES, b("other/author/0001"), b("elsewhere")));
      assertEquals(before + 1, s.changeSeq(), "only the row counts in the change log");
    }
    try (MemoryStore s = RocksStoreModule.open(dir, StorageKey.of(master.material()))) {
      assertEquals(2, s.info().schema());
      assertEquals("a decision", s.get(m.id()).orElseThrow().text());
      assertArrayEquals(b("automerge bytes"), s.syncGet(SyncFamily.DOCS, m.id().toBytes()).orElseThrow());
      List<String> seen = new ArrayList<>();
      s.syncScan(SyncFamily.BUNDLES, b("tag/"), (k, v) -> seen.add(new String(k, StandardCharsets.UTF_8) + "=" + new String(v, StandardCharsets.UTF_8)));
      assertEquals(List.of("tag/author/0001=bundle 1", "tag/author/0002=bundle 2"), seen);
      s.write(new StoreBatch().delete(m.id()).deleteSync(SyncFamily.DOCS, m.id().toBytes()));
      assertEquals(Optional.empty(), s.get(m.id()));
      assertEquals(Optional.empty(), s.syncGet(SyncFamily.DOCS, m.id().toBytes()));
      assertEquals(Optional.empty(), s.syncGet(SyncFamily.OPS, b("nothing here")));
    }
  }

  @Test
  void aBatchWithAMemoryOfAnUnknownClass_writesNothing() throws Exception {
    try (MemoryStore s = RocksStoreModule.create(tmp.resolve("s"), StorageKey.generate(), CLOCK)) {
      StoreBatch batch = new StoreBatch()
          .putSync(SyncFamily.STATE, b("own-seq"), b("7"))
          .put(memory("lost?", new MemoryClass("legal")));
      StoreException e = assertThrows(StoreException.class, () -> s.write(batch));
      assertTrue(e.getMessage().contains("unknown class"), e.getMessage());
      assertEquals(Optional.empty(), s.syncGet(SyncFamily.STATE, b("own-seq")));
    }
  }

  @Test
  void aValueMovedToAnotherKey_doesNotOpen() throws Exception {
    StorageKey master = StorageKey.generate();
    Path dir = tmp.resolve("s");
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.of(master.material()), CLOCK)) {
      s.write(new StoreBatch().putSync(SyncFamily.STATE, b("a"), b("secret state")));
    }
    try (Schema schema = Schema.openDb(dir.toString(), false, StorageKey.of(master.material()))) {
      byte[] raw = schema.db().get(schema.family("syncstate"), b("a"));
      schema.db().put(schema.family("syncstate"), b("b"), raw);
      schema.db().put(schema.family("docs"), b("a"), raw);
    }
    try (MemoryStore s = RocksStoreModule.open(dir, StorageKey.of(master.material()))) {
      assertArrayEquals(b("secret state"), s.syncGet(SyncFamily.STATE, b("a")).orElseThrow());
      StoreException moved = assertThrows(StoreException.class, () -> s.syncGet(SyncFamily.STATE, b("b")));
      assertTrue(moved.getMessage().contains("is damaged"), moved.getMessage());
      assertThrows(StoreException.class, () -> s.syncGet(SyncFamily.DOCS, b("a")));
    }
  }

  @Test
  void syncValues_areNotInClearOnDisk() throws Exception {
    StorageKey master = StorageKey.generate();
    Path dir = tmp.resolve("s");
    String canary = "CanaryOfTheSyncFamilies-4417";
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.of(master.material()), CLOCK)) {
      for (SyncFamily f : SyncFamily.values()) {
        s.write(new StoreBatch().putSync(f, b("k"), b(canary + " in " + f)));
      }
      s.write(new StoreBatch().putSync(SyncFamily.DOCS, b("w"), Optional.of(MemoryClass.HEALTH), b(canary)));
    }
    assertNotOnDisk(dir, canary);
    try (MemoryStore s = RocksStoreModule.open(dir, StorageKey.of(master.material()))) {
      s.compact();
      assertArrayEquals(b(canary), s.syncGet(SyncFamily.DOCS, b("w")).orElseThrow());
    }
    assertNotOnDisk(dir, canary);
  }

  @Test
  void aSchema1Store_gainsTheSyncFamilies_whenOpened_andKeepsItsMemories() throws Exception {
    StorageKey master = StorageKey.generate();
    Path dir = tmp.resolve("s");
    Memory m = memory("written by the previous version", MemoryClass.PERSONAL);
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.of(master.material()), CLOCK)) {
      s.put(m);
    }
    try (Schema schema = Schema.openDb(dir.toString(), false, StorageKey.of(master.material()))) {
      schema.downgradeToV1();
      assertEquals(1, schema.recordedSchema());
      assertTrue(!schema.hasAllFamilies() && schema.hasV1Families());
    }
    try (MemoryStore s = RocksStoreModule.open(dir, StorageKey.of(master.material()))) {
      assertEquals(2, s.info().schema());
      assertEquals(m.text(), s.get(m.id()).orElseThrow().text());
      s.write(new StoreBatch().putSync(SyncFamily.OPS, b("op"), b("genesis")));
    }
    try (MemoryStore s = RocksStoreModule.open(dir, StorageKey.of(master.material()))) {
      assertArrayEquals(b("genesis"), s.syncGet(SyncFamily.OPS, b("op")).orElseThrow());
    }
  }

  private static void assertNotOnDisk(Path dir, String canary) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      assertEquals(-1, raw.indexOf(canary), "found in clear in " + f.getFileName());
    }
  }
}
