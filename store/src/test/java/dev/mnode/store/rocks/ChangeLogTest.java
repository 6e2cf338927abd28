package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeLogTest {
  @TempDir Path tmp;

  @Test
  void everyPutAndDeleteIsAChange_theLogSurvivesReopen_andPruningEndsIt() throws Exception {
    StorageKey master = StorageKey.generate();
    Memory a = RocksMemoryStoreTest.sample("a", MemoryClass.WORK);
    Memory b = RocksMemoryStoreTest.sample("b", MemoryClass.HEALTH);
    Memory c = RocksMemoryStoreTest.sample("c", MemoryClass.PERSONAL);
    try (MemoryStore s = RocksStoreModule.create(tmp.resolve("s"), StorageKey.of(master.material()), java.time.Clock.systemUTC())) {
      assertEquals(0, s.changeSeq());
      assertEquals(Optional.of(Set.of()), s.changedSince(0));
      s.put(a);
      s.putAll(List.of(b, c));
      assertEquals(3, s.changeSeq());
      assertEquals(Optional.of(Set.of(a.id(), b.id(), c.id())), s.changedSince(0));
      assertEquals(Optional.of(Set.of(b.id(), c.id())), s.changedSince(1));
      s.delete(a.id());
      s.delete(MemoryId.generate(java.time.Clock.systemUTC())); // absent: still a change, harmless
      assertEquals(5, s.changeSeq());
      assertEquals(Optional.of(Set.of()), s.changedSince(5));
      assertEquals(Optional.empty(), s.changedSince(6), "ahead of the store");
    }
    try (MemoryStore s = RocksStoreModule.open(tmp.resolve("s"), master)) {
      assertEquals(5, s.changeSeq());
      assertEquals(4, s.changedSince(0).orElseThrow().size(), "distinct ids");
      s.pruneChanges(3);
      assertEquals(Optional.empty(), s.changedSince(2), "pruned past");
      assertEquals(2, s.changedSince(3).orElseThrow().size(), "the two deletes");
      s.put(b.toBuilder().text("b2").build());
      assertEquals(6, s.changeSeq());
      assertEquals(Optional.of(Set.of(b.id())), s.changedSince(5));
      s.pruneChanges(100); // clamps to the latest change
      assertEquals(Optional.of(Set.of()), s.changedSince(6));
      assertEquals(Optional.empty(), s.changedSince(5));
    }
  }

  @Test
  void concurrentWritersGetDistinctContiguousChanges() throws Exception {
    try (MemoryStore s = RocksStoreModule.create(tmp.resolve("s"), StorageKey.generate(), java.time.Clock.systemUTC())) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> fs = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
          fs.add(pool.submit(() -> {
            for (int i = 0; i < 50; i++) {
              s.put(RocksMemoryStoreTest.sample("x" + i, MemoryClass.WORK));
            }
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(200, s.changeSeq());
      assertEquals(200, s.changedSince(0).orElseThrow().size());
      assertEquals(100, s.changedSince(100).orElseThrow().size());
    }
  }
}
