package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty store that joins another vault keeps its secrets and class keys (sealed again for the
 * new vault), drops its sync state, and reads back after a reopen; a store with memories refuses
 * and stays as it was.
 */
class AdoptVaultTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
  @TempDir Path tmp;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anEmptyStore_movesToTheVault_keepsItsSecrets_andDropsItsSyncState() throws Exception {
    byte[] master = StorageKey.generate().material().copy();
    byte[] vault = new byte[16];
    vault[0] = 7;
    String before;
    try (MemoryStore s = RocksStoreModule.create(tmp.resolve("s"), StorageKey.of(SecretBytes.copyOf(master)), CLOCK)) {
      before = s.info().vaultId();
      s.putSecret("device-identity", SecretBytes.copyOf(b("seed of this device")));
      s.write(new StoreBatch().putSync(SyncFamily.OPS, b("op"), b("genesis of the old vault")));
      s.adoptVault(vault);
      assertEquals(HexFormat.of().formatHex(vault), s.info().vaultId());
      assertNotEquals(before, s.info().vaultId());
      try (SecretBytes id = s.secret("device-identity").orElseThrow()) {
        assertArrayEquals(b("seed of this device"), id.copy());
      }
      assertTrue(s.syncGet(SyncFamily.OPS, b("op")).isEmpty(), "the old vault's sync state is gone");
      // The class keys still work: a memory written now reads back after a reopen.
      s.put(Memory.builder(MemoryId.generate(CLOCK), "written in the new vault", CLOCK.instant()).memoryClass(MemoryClass.WORK).build());
    }
    try (MemoryStore s = RocksStoreModule.open(tmp.resolve("s"), StorageKey.of(SecretBytes.copyOf(master)))) {
      assertEquals(HexFormat.of().formatHex(vault), s.info().vaultId());
      try (SecretBytes id = s.secret("device-identity").orElseThrow()) {
        assertArrayEquals(b("seed of this device"), id.copy());
      }
      assertEquals(1L, s.counts().get(MemoryClass.WORK));
    }
  }

  @Test
  void aStoreWithMemories_refuses_andChangesNothing() throws Exception {
    try (MemoryStore s = RocksStoreModule.create(tmp.resolve("s"), StorageKey.generate(), CLOCK)) {
      String before = s.info().vaultId();
      s.put(Memory.builder(MemoryId.generate(CLOCK), "mine", CLOCK.instant()).memoryClass(MemoryClass.PERSONAL).build());
      StoreException e = assertThrows(StoreException.class, () -> s.adoptVault(new byte[16]));
      assertTrue(e.getMessage().contains("holds 1 memories"), e.getMessage());
      assertEquals(before, s.info().vaultId());
    }
  }
}
