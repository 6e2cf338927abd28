package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.store.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code forget} and {@code mnode compact}, the forgotten memory's row is in no table or log
 * file of the store: the replica has made the forget a sync change, the change log is pruned and
 * the store compacted to its last level (sync compaction and the re-key at rest are checked in
 * {@code relay/ForgetIsFinalTest} and {@code RekeyAtRestTest}). A running node's schedule does the
 * same on its own.
 */
class ForgetThenCompactTest {
  @TempDir Path tmp;

  @Test
  void forgottenRow_leavesTheStoresFiles() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    byte[] id;
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, Clock.systemUTC())) {
      Memory m = svc.remember(new MemoryDraft("The locker code is 4711", "personal", List.of(), null, null, false, Map.of(), List.of()));
      svc.remember(new MemoryDraft("Water the plants on Sunday", "personal", List.of(), null, null, false, Map.of(), List.of()));
      id = m.id().toBytes();
      ((LocalMemoryService) svc).store().flush();
      assertTrue(holders(home.storeDir(), id) > 0, "the scan sees the row while it exists");
      svc.forget(m.id().toString());
      NodeModule.compact(svc, false, ProgressListener.NONE);
      assertEquals(List.of(), files(home.storeDir(), id), "the forgotten row is still in a file");
      assertEquals(1, svc.status().count());
    }
  }

  @Test
  void theSchedule_makesAForgetFinal_onItsOwn_andThenFindsNothingToDo() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, Clock.systemUTC())) {
      LocalMemoryService local = (LocalMemoryService) svc;
      Memory m = svc.remember(new MemoryDraft("The locker code is 4711", "personal", List.of(), null, null, false, Map.of(), List.of()));
      local.replica();
      svc.forget(m.id().toString());
      java.util.concurrent.LinkedBlockingQueue<List<dev.mnode.node.aging.CompactReport.Sealed>> runs =
          new java.util.concurrent.LinkedBlockingQueue<>();
      List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (CompactionSchedule schedule = CompactionSchedule.start(local, java.time.Duration.ofMillis(200), runs::add, warnings::add)) {
        List<dev.mnode.node.aging.CompactReport.Sealed> first = runs.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, first == null ? 0 : first.size(), "a run re-sealed the class: " + first + " " + warnings);
        assertEquals("personal", first.get(0).memoryClass());
        assertEquals(null, runs.poll(1, java.util.concurrent.TimeUnit.SECONDS), "later runs find nothing to do");
      }
      assertEquals(List.of(), warnings);
      assertEquals(List.of(), files(home.storeDir(), m.id().toBytes()), "the forgotten row is in no file");
      byte[] tag;
      try (dev.mnode.crypto.SecretBytes vs = local.vaultSecretForPairing()) {
        tag = dev.mnode.crypto.ClassTag.of(vs, "personal").tag().toByteArray();
      }
      List<Integer> epochs = new java.util.ArrayList<>();
      byte[] prefix = java.nio.ByteBuffer.allocate(4 + tag.length).put("key/".getBytes(StandardCharsets.US_ASCII)).put(tag).array();
      local.store().syncScan(dev.mnode.store.SyncFamily.STATE, prefix,
          (k, v) -> epochs.add(java.nio.ByteBuffer.wrap(k, prefix.length, 4).getInt()));
      assertEquals(List.of(2), epochs, "only the new epoch's key of the class is kept");
    }
  }

  static long holders(Path dir, byte[] needle) throws IOException {
    return files(dir, needle).size();
  }

  /** The table and log files under {@code dir} holding {@code needle} (the MANIFEST logs key ranges, never values). */
  static List<String> files(Path dir, byte[] needle) throws IOException {
    String n = new String(needle, StandardCharsets.ISO_8859_1);
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("MANIFEST"))
          .filter(f -> {
            try {
              return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(n);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(f -> f.getFileName().toString())
          .toList();
    }
  }
}
