package dev.mnode.store.rocks;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.StoreInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;

/** Builds the RocksDB {@link MemoryStore}. The only public class of this package. */
public final class RocksStoreModule {
  private RocksStoreModule() {}

  /** Returns whether {@code dir} looks like a store (a RocksDB with our lock file's directory). */
  public static boolean isStore(Path dir) {
    return Files.isRegularFile(dir.resolve("CURRENT"));
  }

  /**
   * Creates a new, empty store in {@code dir} (created with mode 0700; it must not exist or must be
   * empty) with the built-in classes, sealing its keys under {@code master}.
   *
   * @param master the device master key; the store takes ownership and wipes it on close
   */
  public static MemoryStore create(Path dir, StorageKey master, Clock clock) throws StoreException {
    return create(dir, master, clock.instant(), null);
  }

  /**
   * As {@link #create(Path, StorageKey, Clock)}, for a device joining the vault {@code vaultId} (16
   * bytes) rather than starting a new one; null starts a new one.
   */
  public static MemoryStore create(Path dir, StorageKey master, Clock clock, byte @org.jspecify.annotations.Nullable [] vaultId)
      throws StoreException {
    if (vaultId != null && vaultId.length != 16) {
      throw new IllegalArgumentException("a vault id has 16 bytes, got " + vaultId.length);
    }
    return create(dir, master, clock.instant(), vaultId);
  }

  /**
   * As {@link #create(Path, StorageKey, Clock)}, for an existing vault brought back from a backup:
   * the new store has the vault id and creation time of {@code identity} (its schema is this
   * code's), fresh storage keys and the built-in classes.
   */
  public static MemoryStore recreate(Path dir, StorageKey master, StoreInfo identity) throws StoreException {
    byte[] vault;
    try {
      vault = java.util.HexFormat.of().parseHex(identity.vaultId());
    } catch (IllegalArgumentException e) {
      throw new StoreException("invalid vault id " + identity.vaultId());
    }
    if (vault.length != 16) {
      throw new StoreException("invalid vault id " + identity.vaultId());
    }
    return create(dir, master, identity.created(), vault);
  }

  private static MemoryStore create(Path dir, StorageKey master, java.time.Instant created, byte @Nullable [] vault)
      throws StoreException {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new StoreException("cannot create a store in " + dir + ": it is not empty");
          }
        }
      } else {
        Files.createDirectories(
            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new StoreException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    StoreLock lock = StoreLock.acquire(dir);
    Schema schema = null;
    try {
      schema = Schema.openDb(dir.toString(), true, master);
      StoreInfo info = vault == null ? schema.initialize(created) : schema.initialize(created, vault);
      KeyTable.Loaded keys = schema.readKeys(info.vaultId());
      return new RocksMemoryStore(dir, schema, lock, info, keys, schema.readCounts(keys.current()), schema.readChangeSeq());
    } catch (RocksDBException | StoreException | RuntimeException e) {
      if (schema != null) {
        schema.close();
      }
      lock.close();
      throw e instanceof StoreException se
          ? se
          : new StoreException("cannot create store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the existing store in {@code dir}.
   *
   * @param master the device master key; the store takes ownership and wipes it on close
   * @throws dev.mnode.store.StoreInUseException if another process has it open
   * @throws dev.mnode.store.WrongKeyException if {@code master} is not its key
   * @throws StoreException if {@code dir} is not a store or was written by a newer schema
   */
  public static MemoryStore open(Path dir, StorageKey master) throws StoreException {
    if (!isStore(dir)) {
      throw new StoreException("not an mnode store: " + dir);
    }
    StoreLock lock = StoreLock.acquire(dir);
    Schema schema = null;
    try {
      schema = Schema.openDb(dir.toString(), false, master);
      int version = schema.recordedSchema();
      if (version < 0 || !schema.hasV1Families() || (version >= 2 && !schema.hasAllFamilies())) {
        throw new StoreException("not an mnode store: " + dir);
      }
      if (version > MemoryStore.SCHEMA_VERSION) {
        throw new StoreException(
            "store "
                + dir
                + " was written by a newer mnode (schema "
                + version
                + "); this mnode reads schema "
                + MemoryStore.SCHEMA_VERSION
                + " and will not change it: upgrade mnode");
      }
      StoreInfo info = schema.readInfo(version);
      if (version < MemoryStore.SCHEMA_VERSION) {
        schema.migrate(version);
        info = new StoreInfo(info.vaultId(), MemoryStore.SCHEMA_VERSION, info.created());
      }
      KeyTable.Loaded keys = schema.readKeys(info.vaultId());
      List<RocksMemoryStore.ClassEntry> all = new java.util.ArrayList<>(keys.current());
      all.addAll(keys.retiring());
      Map<Integer, Long> counts = schema.readCounts(all);
      return new RocksMemoryStore(dir, schema, lock, info, keys, counts, schema.readChangeSeq());
    } catch (RocksDBException | StoreException | RuntimeException e) {
      if (schema != null) {
        schema.close();
      }
      lock.close();
      throw e instanceof StoreException se
          ? se
          : new StoreException("cannot open store " + dir + ": " + e.getMessage(), e);
    }
  }
}
