package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deleted memory's row (its key, and with it its sealed value) leaves every table and log file of
 * the store once its change-log entries are pruned and the store is compacted: what {@code mnode
 * compact} does after a forget. The scan first checks that it sees the row while it exists.
 */
class DeletedRowsLeaveTheFilesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
  @TempDir Path tmp;

  @Test
  void afterDeletePruneAndCompact_theRowIsInNoFile() throws Exception {
    Path dir = tmp.resolve("s");
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.generate(), CLOCK)) {
      Memory m = Memory.builder(MemoryId.generate(CLOCK), "a memory to forget for good", CLOCK.instant())
          .memoryClass(MemoryClass.HEALTH).build();
      Memory kept = Memory.builder(MemoryId.generate(CLOCK), "a memory that stays", CLOCK.instant())
          .memoryClass(MemoryClass.HEALTH).build();
      s.putAll(java.util.List.of(m, kept));
      s.flush();
      byte[] id = m.id().toBytes();
      assertTrue(occurrences(dir, id) > 0, "the scan sees the row while it exists");
      assertTrue(s.delete(m.id()));
      s.pruneChanges(s.changeSeq());
      s.compact();
      assertEquals(0, occurrences(dir, id), "the deleted row is still in a file of the store");
      assertTrue(s.get(kept.id()).isPresent());
    }
  }

  /** How many files under {@code dir} hold {@code needle}. */
  static long occurrences(Path dir, byte[] needle) throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      // The MANIFEST logs the key range of every table file ever written: ids, never values (ids
      // are not secret: see the threat model). A row whose key is in no table or log file has
      // its sealed value in none either, since RocksDB stores them together.
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("MANIFEST")).toList()) {
        byte[] b = Files.readAllBytes(f);
        if (OldCopyAttack.indexOf(b, needle) >= 0) {
          n++;
        }
      }
    }
    return n;
  }
}
