package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.StoreException;
import dev.mnode.store.SyncFamily;
import dev.mnode.store.WrongKeyException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-key leaves a copy of the store's files taken before it closed to every key the store holds
 * afterwards (while, without a re-key, those keys open the copy: the control), keeps every value
 * readable in the live store, reopens after stopping at any step with the old or the new master
 * key and loses nothing, and lets reads and writes run meanwhile.
 */
class RekeyTest {
  @TempDir Path tmp;

  private static StorageKey copy(StorageKey k) throws Exception {
    return StorageKey.of(k.material());
  }

  @Test
  void afterRekey_anOldCopyOpensWithNoKeyTheDeviceHolds_andTheStoreReadsEverything() throws Exception {
    Path dir = tmp.resolve("s");
    StorageKey m0 = StorageKey.generate();
    try (MemoryStore s = RocksStoreModule.create(dir, copy(m0), RekeyFixture.CLOCK)) {
      RekeyFixture.fill(s, 300, "old");
    }
    Path oldCopy = tmp.resolve("old-copy");
    RekeyFixture.copyTree(dir, oldCopy);

    // Control: without a re-key, the device's current keys open the old copy.
    OldCopyAttack.Opened control = OldCopyAttack.open(oldCopy, List.of(m0), List.of());
    assertEquals(300, control.memories());
    assertEquals(5, control.classKeys());
    assertTrue(control.syncValues() >= 601, "docs, bundles and the op open: " + control.syncValues());
    assertTrue(control.secrets() >= 1);
    assertTrue(control.mentions("old memory 7") && control.mentions("old doc 7") && control.mentions("old bundle 7"));

    StorageKey m1 = StorageKey.generate();
    SortedMap<String, String> before;
    try (MemoryStore s = RocksStoreModule.open(dir, copy(m0))) {
      before = RekeyFixture.content(s);
      List<String> phases = new java.util.ArrayList<>();
      s.rekey(copy(m1), (phase, done, total) -> phases.add(phase));
      assertTrue(phases.contains("memories") && phases.contains("new master key"), phases.toString());
      assertFalse(s.rekeyPending());
      assertEquals(before, RekeyFixture.content(s), "the live store reads the same after the re-key");
    }
    Path liveCopy = tmp.resolve("live-copy");
    RekeyFixture.copyTree(dir, liveCopy);

    // Everything the device holds now: the new master key and every key and secret it unwraps.
    OldCopyAttack.Opened now = OldCopyAttack.open(liveCopy, List.of(m1), List.of());
    assertEquals(300, now.memories(), "the attack opens the current files with the current keys");
    List<StorageKey> held = new java.util.ArrayList<>(now.storageKeys());
    for (SecretBytes secret : now.secretValues()) {
      if (secret.length() == StorageKey.KEY_BYTES) {
        held.add(StorageKey.of(secret));
      }
    }
    OldCopyAttack.Opened old = OldCopyAttack.open(oldCopy, List.of(m1), held);
    assertEquals(0, old.total(), "the old copy opens with the current keys: " + old);
    assertFalse(old.mentions("old memory 7"));
    assertEquals(0, OldCopyAttack.open(liveCopy, List.of(m0), List.of()).total(), "the old master key opens nothing now");

    assertThrows(WrongKeyException.class, () -> RocksStoreModule.open(dir, copy(m0)));
    try (MemoryStore s = RocksStoreModule.open(dir, copy(m1))) {
      assertEquals(before, RekeyFixture.content(s));
    }
  }

  @Test
  void aSecondRekey_retiresTheFirstOnesKeys() throws Exception {
    Path dir = tmp.resolve("s");
    StorageKey m1 = StorageKey.generate();
    StorageKey m2 = StorageKey.generate();
    SortedMap<String, String> before;
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.generate(), RekeyFixture.CLOCK)) {
      RekeyFixture.fill(s, 200, "first");
      s.rekey(copy(m1), MemoryStore.RekeyProgress.NONE);
      RekeyFixture.fill(s, 100, "second"); // class-less values now go under the vault sealer
      before = RekeyFixture.content(s);
    }
    Path between = tmp.resolve("between");
    RekeyFixture.copyTree(dir, between);
    assertEquals(300, OldCopyAttack.open(between, List.of(m1), List.of()).memories());
    try (MemoryStore s = RocksStoreModule.open(dir, copy(m1))) {
      s.rekey(copy(m2), MemoryStore.RekeyProgress.NONE);
      assertEquals(before, RekeyFixture.content(s));
    }
    Path live = tmp.resolve("live");
    RekeyFixture.copyTree(dir, live);
    OldCopyAttack.Opened now = OldCopyAttack.open(live, List.of(m2), List.of());
    assertEquals(300, now.memories());
    assertEquals(0, OldCopyAttack.open(between, List.of(m2), now.storageKeys()).total());
  }

  @Test
  void stoppedAfterAnyStep_reopensWithTheOldOrNewKey_losesNothing_andFinishesNextTime() throws Exception {
    for (String stop : List.of("begun", "memories batch", "memories", "docs batch", "bundles batch", "sync", "finished")) {
      Path dir = tmp.resolve(stop.replace(' ', '-'));
      StorageKey m0 = StorageKey.generate();
      StorageKey m1 = StorageKey.generate();
      SortedMap<String, String> before;
      try (MemoryStore s = RocksStoreModule.create(dir, copy(m0), RekeyFixture.CLOCK)) {
        RekeyFixture.fill(s, 2_300, "x");
        before = RekeyFixture.content(s);
        StoreException e = assertThrows(StoreException.class, () -> ((RocksMemoryStore) s).rekey(copy(m1), MemoryStore.RekeyProgress.NONE, step -> {
          if (step.equals(stop)) {
            throw new StoreException("stopped at " + step);
          }
        }));
        assertEquals("stopped at " + stop, e.getMessage());
      }
      StorageKey reopenWith = stop.equals("finished") ? m1 : m0;
      StorageKey other = stop.equals("finished") ? m0 : m1;
      assertThrows(WrongKeyException.class, () -> RocksStoreModule.open(dir, copy(other)), stop);
      StorageKey m2 = StorageKey.generate();
      try (MemoryStore s = RocksStoreModule.open(dir, copy(reopenWith))) {
        assertEquals(!stop.equals("finished"), s.rekeyPending(), stop);
        assertEquals(before, RekeyFixture.content(s), "after a stop at " + stop);
        s.rekey(copy(m2), MemoryStore.RekeyProgress.NONE);
        assertFalse(s.rekeyPending());
      }
      try (MemoryStore s = RocksStoreModule.open(dir, copy(m2))) {
        assertEquals(before, RekeyFixture.content(s), "after finishing a re-key stopped at " + stop);
      }
    }
  }

  @Test
  void readsAndWritesDuringARekey_stayCorrect() throws Exception {
    Path dir = tmp.resolve("s");
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.generate(), RekeyFixture.CLOCK)) {
      RekeyFixture.fill(s, 5_000, "base");
      Map<MemoryId, String> written = new ConcurrentHashMap<>();
      List<MemoryId> existing = new java.util.ArrayList<>();
      s.scan(Optional.empty(), m -> existing.add(m.id()));
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 400 && System.nanoTime() < deadline; i++) {
            MemoryClass c = MemoryClass.BUILT_IN.get(i % 5);
            Memory m = Memory.builder(MemoryId.generate(RekeyFixture.CLOCK), "during " + i, RekeyFixture.CLOCK.instant()).memoryClass(c).build();
            s.write(new StoreBatch().put(m)
                .putSync(SyncFamily.DOCS, m.id().toBytes(), Optional.of(c), RekeyFixture.utf8("during doc " + i))
                .putSync(SyncFamily.STATE, RekeyFixture.utf8("during/" + i), RekeyFixture.utf8("state " + i)));
            written.put(m.id(), m.text());
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      Thread reader = new Thread(() -> {
        try {
          for (int i = 0; i < 20_000 && System.nanoTime() < deadline; i++) {
            MemoryId id = existing.get(ThreadLocalRandom.current().nextInt(existing.size()));
            if (s.get(id).isEmpty()) {
              throw new AssertionError("memory " + id + " vanished during the re-key");
            }
            if (i % 1000 == 0) {
              long[] n = {0};
              s.scan(Optional.of(MemoryClass.WORK), m -> ++n[0] > 0);
              if (n[0] < 1000) {
                throw new AssertionError("a scan of work saw " + n[0] + " memories");
              }
            }
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      writer.start();
      reader.start();
      s.rekey(StorageKey.generate(), MemoryStore.RekeyProgress.NONE);
      writer.join(TimeUnit.SECONDS.toMillis(90));
      reader.join(TimeUnit.SECONDS.toMillis(90));
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertFalse(written.isEmpty());
      for (Map.Entry<MemoryId, String> e : written.entrySet()) {
        assertEquals(e.getValue(), s.get(e.getKey()).orElseThrow().text());
        assertTrue(s.syncGet(SyncFamily.DOCS, e.getKey().toBytes()).isPresent());
      }
      assertEquals(5_000 + written.size(), s.counts().values().stream().mapToLong(Long::longValue).sum());
      SortedMap<String, String> c = RekeyFixture.content(s);
      assertEquals(Long.toString((5_000 + written.size()) / 5 + ((5_000 + written.size()) % 5 > 1 ? 1 : 0)), c.get("scan/work"));
    }
  }
}
