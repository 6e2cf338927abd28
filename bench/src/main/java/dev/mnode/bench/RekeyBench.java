package dev.mnode.bench;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.SyncFamily;
import dev.mnode.store.rocks.RocksStoreModule;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code bin/bench rekey [N]}: a store of N memories (about 200 bytes of text each, every built-in
 * class) with one Automerge-sized document and one bundle-sized sync value per memory, re-keyed
 * in place ({@link MemoryStore#rekey}: fresh keys, every value sealed again, compaction); prints
 * the time of the whole re-key and of its longest hold of the write lock as seen by a writer.
 */
final class RekeyBench {
  private RekeyBench() {}

  static void run(PrintStream out, int n) throws Exception {
    Path dir = Files.createTempDirectory("mnode-rekeybench-");
    Clock clock = Clock.systemUTC();
    try (MemoryStore s = RocksStoreModule.create(dir.resolve("store"), StorageKey.generate(), clock)) {
      System.err.print("bench: writing " + n + " memories...");
      byte[] doc = new byte[270];
      byte[] bundle = new byte[1024];
      for (int from = 0; from < n; from += 1000) {
        StoreBatch b = new StoreBatch();
        for (int i = from; i < Math.min(n, from + 1000); i++) {
          MemoryClass c = MemoryClass.BUILT_IN.get(i % MemoryClass.BUILT_IN.size());
          String text = String.format(Locale.ROOT, "memory %d: %s", i, "a decision taken in a meeting, with its reasons and who took it. ".repeat(3));
          Memory m = Memory.builder(MemoryId.generate(clock), text, clock.instant()).memoryClass(c).build();
          b.put(m).putSync(SyncFamily.DOCS, m.id().toBytes(), Optional.of(c), doc)
              .putSync(SyncFamily.BUNDLES, ("b/" + i).getBytes(StandardCharsets.US_ASCII), bundle);
        }
        s.write(b);
      }
      s.compact();
      System.err.print("\r\033[Kbench: re-keying...");
      java.util.concurrent.atomic.AtomicLong worstWrite = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
            long t0 = System.nanoTime();
            s.put(Memory.builder(MemoryId.generate(clock), "written during the re-key " + i, clock.instant()).build());
            worstWrite.accumulateAndGet(System.nanoTime() - t0, Math::max);
            Thread.sleep(5);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long t0 = System.nanoTime();
      writer.start();
      s.rekey(StorageKey.generate(), MemoryStore.RekeyProgress.NONE);
      double seconds = (System.nanoTime() - t0) / 1e9;
      stop.set(true);
      writer.join(60_000);
      System.err.print("\r\033[K");
      Table t = new Table("Re-key of a store of " + String.format(Locale.ROOT, "%,d", n) + " memories (3 values each)", 1, "what", "value");
      t.row("re-key, compaction included (s)", String.format(Locale.ROOT, "%.1f", seconds));
      t.row("values sealed again per second", String.format(Locale.ROOT, "%,.0f", 3.0 * n / seconds));
      t.row("slowest write during it (ms)", String.format(Locale.ROOT, "%.0f", worstWrite.get() / 1e6));
      t.print(out);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
