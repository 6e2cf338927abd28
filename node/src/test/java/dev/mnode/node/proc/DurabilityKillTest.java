package dev.mnode.node.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.PassphraseSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real writer process with SIGKILL at random moments, 20 rounds, and proves after each
 * round that the store reopens and holds every memory the writer acknowledged.
 */
class DurabilityKillTest {
  private static final int ROUNDS = 20;
  private static final int MAX_WRITES_PER_ROUND = 5_000;

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sigkillAtRandomMoments_losesNoAcknowledgedMemory_andStoreAlwaysReopens() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, Argon2Params.DEFAULT, Clock.systemUTC()).close();
    Random random = new Random(20261126L);
    Set<String> acknowledged = new HashSet<>();
    int roundsWithWrites = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Process p = Processes.start(tmp, "write", home.dir().toString(), Integer.toString(MAX_WRITES_PER_ROUND));
      List<String> acks = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch opened = new CountDownLatch(1);
      Thread reader = new Thread(() -> readAcks(p, acks, opened), "acks-" + round);
      reader.start();
      boolean midWrite = round % 4 != 0;
      if (midWrite) {
        // Most rounds: kill somewhere in the stream of synced writes and batches.
        assertTrue(opened.await(60, TimeUnit.SECONDS), "writer opened the store");
        Thread.sleep(random.nextInt(400));
      } else {
        // Every fourth round: kill during JVM start-up or while RocksDB opens and recovers.
        Thread.sleep(random.nextInt(600));
      }
      p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "writer died");
      assertEquals(137, p.exitValue(), "killed by SIGKILL");
      reader.join(10_000);
      acknowledged.addAll(acks);
      if (midWrite && !acks.isEmpty()) {
        roundsWithWrites++;
      }
      try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, Clock.systemUTC())) {
        for (String id : acknowledged) {
          svc.get(id); // throws NotFoundException if an acknowledged write was lost
        }
        assertTrue(svc.status().count() >= acknowledged.size());
      }
    }
    assertTrue(roundsWithWrites >= ROUNDS / 2, "rounds killed after acknowledged writes: " + roundsWithWrites);
  }

  /** Collects complete lines that are ids; a line cut by the kill has no newline and is dropped. */
  private static void readAcks(Process p, List<String> acks, CountDownLatch opened) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder line = new StringBuilder();
      for (int c; (c = r.read()) >= 0; ) {
        if (c == '\n') {
          String s = line.toString();
          if (s.length() == 36) {
            acks.add(s);
          } else if (s.equals("opened")) {
            opened.countDown();
          }
          line.setLength(0);
        } else {
          line.append((char) c);
        }
      }
    } catch (java.io.IOException e) {
      // the pipe closes when the process dies
    }
  }
}
