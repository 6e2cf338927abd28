package dev.mnode.node;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.SealedFile;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.util.Optional;

/**
 * Keys of the sealed files beside the store ({@code index.sealed}, {@code uses.sealed}), each kept
 * as a store secret under its own name: made on first use, replaced by a re-key at rest.
 */
public final class FileKeys {
  private FileKeys() {}

  /** The file key kept under {@code secret}, made and kept first if there is none yet. */
  public static SealedFile of(MemoryStore store, String secret) throws StoreException, CryptoException {
    Optional<SecretBytes> k = store.secret(secret);
    if (k.isEmpty()) {
      try (SecretBytes fresh = SecretBytes.random(SealedFile.KEY_BYTES)) {
        store.putSecret(secret, fresh);
        return SealedFile.of(fresh);
      }
    }
    try (SecretBytes s = k.get()) {
      return SealedFile.of(s);
    }
  }

  /** Replaces the file key kept under {@code secret} with a fresh one (the file must be written again). */
  public static void replace(MemoryStore store, String secret) throws StoreException {
    try (SecretBytes fresh = SecretBytes.random(SealedFile.KEY_BYTES)) {
      store.putSecret(secret, fresh);
    }
  }
}
