package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.KeyFile;
import dev.mnode.store.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forgetting is final at rest: a copy of every file of a home but {@code master.key}, taken before
 * a forget, opened afterwards with everything the device then holds (its {@code master.key}, the
 * passphrase, every key and secret of its store) shows no forgotten text once the home is
 * re-keyed ({@link LocalMemoryService#rekeyAtRest}); without the re-key the same attempt finds it
 * (the control), in the store copy and in the recall index snapshot.
 */
class RekeyAtRestTest {
  private static final String FORGOTTEN = "The locker code is 4711";
  @TempDir Path tmp;

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = "a long passphrase")
  void anOldCopyOfTheHome_showsNoForgottenText_afterRekey(@Nullable String passphrase) throws Exception {
    char[] pass = passphrase == null ? null : passphrase.toCharArray();
    PassphraseSource source = () -> pass == null ? null : pass.clone();
    Home home = new Home(tmp.resolve("home"));
    String forgottenId;
    String keptId;
    try (MemoryService svc = NodeModule.init(home, pass == null ? null : pass.clone(), NodeTestSupport.FAST, Clock.systemUTC())) {
      Memory m = svc.remember(new MemoryDraft(FORGOTTEN, "personal", List.of(), null, null, false, Map.of(), List.of()));
      keptId = svc.remember(new MemoryDraft("Water the plants on Sunday", "personal", List.of(), null, null, false, Map.of(), List.of()))
          .id().toString();
      forgottenId = m.id().toString();
      NodeModule.compact(svc, false, ProgressListener.NONE); // writes the recall index snapshot
    }
    assertTrue(Files.exists(home.dir().resolve(Retrieval.FILE)));
    Path oldCopy = tmp.resolve("old-copy");
    copyHome(home.dir(), oldCopy);
    assertFalse(Files.exists(oldCopy.resolve("master.key")));

    try (MemoryService svc = NodeModule.open(home, source, Clock.systemUTC())) {
      svc.forget(forgottenId);
      ((LocalMemoryService) svc).store().compact();
    }
    // Control: forgotten and the store compacted, not re-keyed: the device's keys open the old copy.
    assertEquals(List.of("store", Retrieval.FILE), hits(home, oldCopy, pass), "the control finds the forgotten text in the old copy");

    List<String> phases = new ArrayList<>();
    byte[] keyFileBefore = Files.readAllBytes(home.keyFile());
    try (MemoryService svc = NodeModule.open(home, source, Clock.systemUTC())) {
      ((LocalMemoryService) svc).rekeyAtRest((phase, done, total) -> phases.add(phase));
      assertEquals(1, svc.status().count());
    }
    assertTrue(phases.contains("re-key: new master key"), phases.toString());
    assertFalse(java.util.Arrays.equals(keyFileBefore, Files.readAllBytes(home.keyFile())), "master.key was replaced");
    assertFalse(Files.exists(home.nextKeyFile()));
    assertEquals(pass != null, KeyFile.isProtected(home.keyFile()), "the new key file is protected as the old one was");
    assertEquals(List.of(), hits(home, oldCopy, pass), "the old copy shows forgotten text to the device's current keys");

    try (MemoryService svc = NodeModule.open(home, source, Clock.systemUTC())) {
      assertEquals(1, svc.status().count());
      assertEquals("Water the plants on Sunday", svc.get(keptId).text());
    }
  }

  private List<String> hits(Home home, Path oldCopy, char @Nullable [] pass) throws Exception {
    return OldHomeAttack.hits(home, oldCopy, pass, FORGOTTEN, tmp);
  }

  static void copyHome(Path from, Path to) throws IOException {
    OldHomeAttack.copyHome(from, to);
  }
}
