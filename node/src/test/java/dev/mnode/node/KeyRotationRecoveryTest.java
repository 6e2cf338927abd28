package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.rocks.RocksStoreModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master key rotation cut short between its steps is settled when the home opens: after the
 * store was re-keyed but before {@code master.key} was replaced, {@code master.key.next} becomes
 * {@code master.key}; before the store was re-keyed, {@code master.key.next} is dropped. Either
 * way the memories read back, and a passphrase file's successor needs only the same passphrase.
 */
class KeyRotationRecoveryTest {
  private static final char[] PASS = "rotation passphrase".toCharArray();
  @TempDir Path tmp;

  private Home homeWithOneMemory() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    try (MemoryService svc = NodeModule.init(home, PASS.clone(), NodeTestSupport.FAST, Clock.systemUTC())) {
      svc.remember(new MemoryDraft("kept through the crash", "work", List.of(), null, null, false, Map.of(), List.of()));
    }
    return home;
  }

  @Test
  void storeRekeyedButKeyFileNotReplaced_openPromotesTheSuccessor() throws Exception {
    Home home = homeWithOneMemory();
    byte[] oldFile = Files.readAllBytes(home.keyFile());
    // What rotate does, stopped after the store's last step: successor written, store re-keyed.
    try (KeyFile.Unlocked u = KeyFile.unlock(home.keyFile(), PASS.clone());
        StorageKey next = StorageKey.generate();
        MemoryStore store = RocksStoreModule.open(home.storeDir(), StorageKey.of(u.master().material()))) {
      KeyFile.writeSuccessor(home.nextKeyFile(), next, u.protection());
      store.rekey(StorageKey.of(next.material()), MemoryStore.RekeyProgress.NONE);
    }
    byte[] successor = Files.readAllBytes(home.nextKeyFile());
    try (MemoryService svc = NodeModule.open(home, () -> PASS.clone(), Clock.systemUTC())) {
      assertEquals(1, svc.status().count());
    }
    assertFalse(Files.exists(home.nextKeyFile()));
    assertArrayEquals(successor, Files.readAllBytes(home.keyFile()));
    assertFalse(java.util.Arrays.equals(oldFile, Files.readAllBytes(home.keyFile())));
    assertTrue(KeyFile.isProtected(home.keyFile()));
  }

  @Test
  void successorWrittenButStoreNotRekeyed_openDropsTheSuccessor() throws Exception {
    Home home = homeWithOneMemory();
    byte[] oldFile = Files.readAllBytes(home.keyFile());
    try (KeyFile.Unlocked u = KeyFile.unlock(home.keyFile(), PASS.clone()); StorageKey next = StorageKey.generate()) {
      KeyFile.writeSuccessor(home.nextKeyFile(), next, u.protection());
    }
    try (MemoryService svc = NodeModule.open(home, () -> PASS.clone(), Clock.systemUTC())) {
      assertEquals(1, svc.status().count());
    }
    assertFalse(Files.exists(home.nextKeyFile()));
    assertArrayEquals(oldFile, Files.readAllBytes(home.keyFile()));
  }

  @Test
  void aRunningNodeRotatesTwice_withoutThePassphraseAgain() throws Exception {
    Home home = homeWithOneMemory();
    char[][] asked = {null};
    try (MemoryService svc = NodeModule.open(home, () -> {
      asked[0] = PASS.clone();
      return PASS.clone();
    }, Clock.systemUTC())) {
      asked[0] = null;
      ((LocalMemoryService) svc).rekeyAtRest(ProgressListener.NONE);
      ((LocalMemoryService) svc).rekeyAtRest(ProgressListener.NONE);
      assertEquals(null, asked[0], "the passphrase was asked again");
      assertEquals(1, svc.status().count());
    }
    try (MemoryService svc = NodeModule.open(home, () -> PASS.clone(), Clock.systemUTC())) {
      assertEquals(1, svc.status().count());
    }
  }
}
