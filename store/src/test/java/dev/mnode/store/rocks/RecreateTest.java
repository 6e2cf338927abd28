package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.StoreException;
import dev.mnode.store.StoreInfo;
import dev.mnode.store.SyncFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a backup needs from a store: every secret's name, each sync value with the class that seals
 * it, and a new store for an existing vault (its id and creation time) under a new master key.
 */
class RecreateTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
  @TempDir Path tmp;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recreate_keepsVaultIdentity_andCopiesSealTheSameWay() throws Exception {
    StoreInfo original;
    List<String> names;
    List<String> seen = new ArrayList<>();
    try (MemoryStore s = RocksStoreModule.create(tmp.resolve("a"), StorageKey.generate(), CLOCK)) {
      original = s.info();
      s.putSecret("vault-secret", SecretBytes.copyOf(b("v")));
      s.putSecret("device-identity", SecretBytes.copyOf(b("d")));
      s.write(new StoreBatch()
          .putSync(SyncFamily.DOCS, b("doc1"), Optional.of(MemoryClass.HEALTH), b("health doc"))
          .putSync(SyncFamily.STATE, b("genesis"), b("op")));
      names = s.secretNames();
      s.syncScanSealed(SyncFamily.DOCS, new byte[0], (k, c, v) -> seen.add(new String(k, StandardCharsets.UTF_8) + "=" + c));
      s.syncScanSealed(SyncFamily.STATE, new byte[0], (k, c, v) -> seen.add(new String(k, StandardCharsets.UTF_8) + "=" + c));
    }
    assertEquals(List.of("device-identity", "vault-secret"), names);
    assertEquals(List.of("doc1=Optional[health]", "genesis=Optional.empty"), seen);

    StorageKey fresh = StorageKey.generate();
    Path dir = tmp.resolve("b");
    try (MemoryStore s = RocksStoreModule.recreate(dir, StorageKey.of(fresh.material()), original)) {
      assertEquals(original.vaultId(), s.info().vaultId());
      assertEquals(original.created(), s.info().created());
      assertEquals(MemoryClass.BUILT_IN.size(), s.classes().size());
      s.write(new StoreBatch().putSync(SyncFamily.DOCS, b("doc1"), Optional.of(MemoryClass.HEALTH), b("health doc")));
    }
    try (MemoryStore s = RocksStoreModule.open(dir, StorageKey.of(fresh.material()))) {
      assertArrayEquals(b("health doc"), s.syncGet(SyncFamily.DOCS, b("doc1")).orElseThrow());
      assertEquals(original.vaultId(), s.info().vaultId());
    }
    assertThrows(StoreException.class,
        () -> RocksStoreModule.recreate(tmp.resolve("c"), StorageKey.generate(), new StoreInfo("zz", 2, Instant.EPOCH)));
  }
}
