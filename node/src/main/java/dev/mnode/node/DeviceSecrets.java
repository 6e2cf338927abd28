package dev.mnode.node;

import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.util.Optional;

/**
 * The device's long-lived secrets, sealed in the store: its Ed25519 identity seed and the vault
 * secret that names classes opaquely ({@link dev.mnode.crypto.ClassTag}). Made at init, and on the
 * first open of a home made before they existed.
 */
final class DeviceSecrets {
  static final String IDENTITY = "device-identity";
  static final String VAULT = "vault-secret";

  private DeviceSecrets() {}

  /** Makes whichever secret is missing and returns the device's public identity. */
  static IdentityKey ensure(MemoryStore store) throws StoreException {
    if (store.secret(VAULT).isEmpty()) {
      try (SecretBytes vault = SecretBytes.random(32)) {
        store.putSecret(VAULT, vault);
      }
    }
    Optional<SecretBytes> seed = store.secret(IDENTITY);
    if (seed.isEmpty()) {
      try (DeviceIdentity fresh = DeviceIdentity.generate()) {
        store.putSecret(IDENTITY, fresh.seed());
        return fresh.publicKey();
      }
    }
    try (SecretBytes s = seed.get();
        DeviceIdentity id = DeviceIdentity.fromSeed(s)) {
      return id.publicKey();
    }
  }
}
