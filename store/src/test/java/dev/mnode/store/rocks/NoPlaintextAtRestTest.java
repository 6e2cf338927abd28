package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes distinctive text, tags, source and metadata, then greps every byte of every file under
 * the store directory (write-ahead log, memtable flushes, SST files, manifest, logs) for them.
 */
class NoPlaintextAtRestTest {
  @TempDir Path tmp;

  private static final List<String> SECRETS =
      List.of(
          "ZebraQuokkaTextCanary7731",
          "tagcanary-platypus-9910",
          "sourcecanary-narwhal",
          "metakeycanary-okapi",
          "metavaluecanary-axolotl-5512");

  @Test
  void noUserStringAppearsInClear_inWalOrSst() throws Exception {
    Path dir = tmp.resolve("store");
    StorageKey master = StorageKey.generate();
    Instant now = Instant.parse("2026-11-26T10:00:00Z");
    List<Memory> ms = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ms.add(
          Memory.builder(MemoryId.generate(Clock.systemUTC()), SECRETS.get(0) + " number " + i, now)
              .memoryClass(i % 2 == 0 ? MemoryClass.HEALTH : MemoryClass.WORK)
              .tags(List.of(SECRETS.get(1)))
              .source(SECRETS.get(2))
              .metadata(Map.of(SECRETS.get(3), SECRETS.get(4)))
              .build());
    }
    try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.of(master.material()), Clock.systemUTC())) {
      s.putAll(ms.subList(0, 100));
      for (Memory m : ms.subList(100, 200)) {
        s.put(m);
      }
    }
    // First while everything still sits in the write-ahead log ...
    assertNoSecrets(dir);
    // ... then once flushed and compacted into SST files.
    try (MemoryStore s = RocksStoreModule.open(dir, StorageKey.of(master.material()))) {
      assertEquals(200, s.counts().values().stream().mapToLong(Long::longValue).sum());
      s.compact();
    }
    assertNoSecrets(dir);
    try (Stream<Path> files = Files.walk(dir)) {
      assertTrue(files.anyMatch(p -> p.toString().endsWith(".sst")), "compaction wrote SST files");
    }
  }

  private static void assertNoSecrets(Path dir) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() > 3, "store has files: " + files);
    for (Path f : files) {
      String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String secret : SECRETS) {
        assertEquals(-1, raw.indexOf(secret), secret + " found in clear in " + f.getFileName());
      }
    }
  }
}
