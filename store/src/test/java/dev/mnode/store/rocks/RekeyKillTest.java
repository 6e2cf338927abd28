package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.WrongKeyException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) during a re-key, at several points from moving rows to compacting,
 * leaves a store that opens with the old or the new master key, reads exactly what it held, and
 * finishes a re-key afterwards.
 */
class RekeyKillTest {
  @TempDir Path tmp;

  @Test
  void killedDuringARekey_reopensWithOneOfTheKeys_andLosesNothing() throws Exception {
    List<String> killPoints = List.of("memories 3000", "docs 2000", "bundles 4000", "oplog", "new master key", "compact");
    for (String killAt : killPoints) {
      Path dir = tmp.resolve(killAt.replace(' ', '-'));
      StorageKey m0 = StorageKey.generate();
      StorageKey m1 = StorageKey.generate();
      SortedMap<String, String> before;
      try (MemoryStore s = RocksStoreModule.create(dir, StorageKey.of(m0.material()), RekeyFixture.CLOCK)) {
        RekeyFixture.fill(s, 6_000, "k");
        before = RekeyFixture.content(s);
      }
      List<String> seen = runAndKill(dir, m0, m1, killAt);
      assertTrue(seen.stream().anyMatch(l -> l.startsWith(killAt)), "the child reached " + killAt + ": " + seen);
      StorageKey opened = m0;
      MemoryStore s;
      try {
        s = RocksStoreModule.open(dir, StorageKey.of(m0.material()));
      } catch (WrongKeyException e) {
        s = RocksStoreModule.open(dir, StorageKey.of(m1.material()));
        opened = m1;
      }
      try {
        assertEquals(before, RekeyFixture.content(s), "killed at " + killAt);
        assertEquals(opened == m0, s.rekeyPending(), "killed at " + killAt);
        s.rekey(StorageKey.generate(), MemoryStore.RekeyProgress.NONE);
        assertFalse(s.rekeyPending());
        assertEquals(before, RekeyFixture.content(s), "re-keyed again after a kill at " + killAt);
      } finally {
        s.close();
      }
    }
  }

  /** Runs {@link RekeyChild} and kills it once it prints a line starting with {@code killAt}. */
  private static List<String> runAndKill(Path dir, StorageKey m0, StorageKey m1, String killAt) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), RekeyChild.class.getName(),
            dir.toString(), HexFormat.of().formatHex(m0.material().copy()), HexFormat.of().formatHex(m1.material().copy()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    List<String> seen = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null && seen.size() < 10_000; line = out.readLine()) {
        seen.add(line);
        if (line.startsWith(killAt)) {
          p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
          break;
        }
      }
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
    }
    return seen;
  }
}
