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
 * first open of a home made before they existed. The identity's public key is kept beside the
 * seed, so that opening a home for a read (status, list) never derives it: Bouncy Castle's signed
 * jar costs a cold start about 150 ms to verify and load.
 */
final class DeviceSecrets {
  static final String IDENTITY = "device-identity";
  static final String IDENTITY_PUBLIC = "device-identity.pub";
  static final String VAULT = "vault-secret";

  private DeviceSecrets() {}

  /** Makes whichever secret is missing and returns the device's public identity. */
  static IdentityKey ensure(MemoryStore store) throws StoreException {
    if (store.secret(VAULT).isEmpty()) {
      try (SecretBytes vault = SecretBytes.random(32)) {
        store.putSecret(VAULT, vault);
      }
    }
    Optional<SecretBytes> known = store.secret(IDENTITY_PUBLIC);
    if (known.isPresent()) {
      try (SecretBytes pub = known.get()) {
        return IdentityKey.of(pub.copy());
      }
    }
    Optional<SecretBytes> seed = store.secret(IDENTITY);
    try (DeviceIdentity id = seed.isPresent() ? DeviceIdentity.fromSeed(seed.get()) : DeviceIdentity.generate()) {
      if (seed.isEmpty()) {
        store.putSecret(IDENTITY, id.seed());
      } else {
        seed.get().close();
      }
      try (SecretBytes pub = SecretBytes.copyOf(id.publicKey().key().toByteArray())) {
        store.putSecret(IDENTITY_PUBLIC, pub);
      }
      return id.publicKey();
    }
  }
}
