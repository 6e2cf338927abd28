package dev.mnode.node;

import dev.mnode.crypto.KeyFile;
import dev.mnode.crypto.KeyFileException;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.WrongKeyException;
import dev.mnode.store.rocks.RocksStoreModule;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The home's master key file, and its rotation. While a home is open this keeps the key file's
 * {@link KeyFile.Protection} (for a passphrase file, the Argon2id-derived key, never the
 * passphrase), so that a node running for days rotates its master key without asking for the
 * passphrase again; the new file is protected by the same passphrase.
 *
 * <p>Rotation writes {@code master.key.next} first (synced), then re-keys the store to it, then
 * renames it over {@code master.key}. Opening a home finishes or undoes a rotation a crash cut
 * short: when the store's key check fails with {@code master.key} and passes with {@code
 * master.key.next}, the store was re-keyed and the rename is done now; when it passes with {@code
 * master.key}, the store was not, and {@code master.key.next} is deleted (the store's next re-key
 * starts over with fresh keys).
 *
 * <p>Thread-safe. {@link #close()} wipes the kept protection.
 */
final class AtRestKeys implements AutoCloseable {
  private final Home home;
  private final KeyFile.Protection protection;
  /** Set when a rotation failed part-way: which key the store needs is settled at the next open. */
  private boolean unsettled;

  private AtRestKeys(Home home, KeyFile.Protection protection) {
    this.home = home;
    this.protection = protection;
  }

  /** A store opened with its master key, and the key file's protection kept for rotation. */
  record Opened(MemoryStore store, AtRestKeys keys) {}

  /**
   * Opens the home's store with the key in {@code unlocked} (which this takes), finishing a
   * rotation a crash cut short.
   */
  static Opened openStore(Home home, KeyFile.Unlocked unlocked) throws NodeException {
    AtRestKeys keys = new AtRestKeys(home, unlocked.protection());
    try {
      MemoryStore store;
      try {
        store = RocksStoreModule.open(home.storeDir(), unlocked.master());
      } catch (WrongKeyException e) {
        if (!Files.exists(home.nextKeyFile())) {
          throw e;
        }
        store = RocksStoreModule.open(home.storeDir(), KeyFile.openSuccessor(home.nextKeyFile(), keys.protection));
        KeyFile.promote(home.nextKeyFile(), home.keyFile());
        return new Opened(store, keys);
      }
      Files.deleteIfExists(home.nextKeyFile()); // a rotation that did not reach the store
      return new Opened(store, keys);
    } catch (StoreException | KeyFileException | IOException | RuntimeException e) {
      keys.close();
      throw new NodeException(e.getMessage(), e);
    }
  }

  /** Keeps {@code protection} for the home's key file (just created with it). */
  static AtRestKeys of(Home home, KeyFile.Protection protection) {
    return new AtRestKeys(home, protection);
  }

  /**
   * Rotates the master key: a fresh key to {@code master.key.next}, the store re-keyed to it
   * ({@link MemoryStore#rekey}), then {@code master.key} replaced. When the store's re-key
   * fails, both files stay: the next open of the home keeps whichever opens the store, and no
   * rotation runs in this process until then.
   */
  synchronized void rotate(MemoryStore store, ProgressListener progress) throws NodeException {
    if (unsettled) {
      throw new NodeException("an earlier re-key failed; reopen the home before re-keying again");
    }
    try (StorageKey next = StorageKey.generate()) {
      KeyFile.writeSuccessor(home.nextKeyFile(), next, protection);
      try {
        store.rekey(StorageKey.of(next.material()), (phase, done, total) -> progress.progress("re-key: " + phase, done, total));
      } catch (StoreException e) {
        unsettled = true;
        throw new NodeException("cannot re-key the store (the next open settles its key): " + e.getMessage(), e);
      }
      KeyFile.promote(home.nextKeyFile(), home.keyFile());
    } catch (dev.mnode.crypto.CryptoException e) {
      unsettled = true;
      throw new NodeException("cannot rotate the master key: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    protection.close();
  }
}
