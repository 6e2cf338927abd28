package dev.mnode.node;

import dev.mnode.crypto.BundleException;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.KeyEnvelope;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SealedBundle;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.SyncFamily;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every sync key a thief who takes a device now finds in its store: the epoch keys, the candidate
 * keys of rotations, the private prekeys, the vault secret. Tests of forgetting try them on what an
 * adversary recorded earlier.
 */
public final class StolenKeys implements AutoCloseable {
  private final List<byte[]> epochKeys = new ArrayList<>();
  private final DeviceIdentity identity;
  private final PrekeyRing prekeys;
  private final SecretBytes vaultSecret;

  private StolenKeys(LocalMemoryService svc) throws Exception {
    MemoryStore store = svc.store();
    for (String prefix : List.of("key/", "cand/", "mine/")) {
      store.syncScan(SyncFamily.STATE, prefix.getBytes(StandardCharsets.US_ASCII), (k, v) -> epochKeys.add(v.clone()));
    }
    try (SecretBytes seed = svc.deviceSeed()) {
      identity = DeviceIdentity.fromSeed(seed);
    }
    Optional<SecretBytes> ring = store.secret("sync-prekeys");
    try (SecretBytes r = ring.orElseThrow()) {
      prekeys = PrekeyRing.restore(identity, Clock.systemUTC(), PrekeyRing.DEFAULT_ROTATION, r);
    }
    vaultSecret = svc.vaultSecretForPairing();
  }

  /** Takes every sync key {@code svc}'s device holds now. */
  public static StolenKeys of(LocalMemoryService svc) throws Exception {
    return new StolenKeys(svc);
  }

  /** How many epoch and candidate keys were found. */
  public int epochKeys() {
    return epochKeys.size();
  }

  /** The vault secret (a copy, to close). */
  public SecretBytes vaultSecret() {
    return SecretBytes.copyOf(vaultSecret.copy());
  }

  /** The body of {@code sealed} if any key found opens it at its class and epoch. */
  public Optional<byte[]> open(byte[] sealed) {
    SealedBundle b;
    try {
      b = SealedBundle.decode(sealed);
    } catch (BundleException e) {
      return Optional.empty();
    }
    for (byte[] k : epochKeys) {
      try (ClassKeyring one = new ClassKeyring(); SecretBytes key = SecretBytes.copyOf(k.clone())) {
        one.add(b.header().classTag(), b.header().epoch(), key);
        return Optional.of(b.open(one));
      } catch (BundleException | IllegalArgumentException e) {
        // not this key
      }
    }
    return Optional.empty();
  }

  /** Whether a private prekey found opens the key envelope {@code encoded}. */
  public boolean opensEnvelope(byte[] encoded) {
    try (SecretBytes slip = KeyEnvelope.decode(encoded).open(prekeys)) {
      return slip != null;
    } catch (CryptoException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code text}, as UTF-8, occurs in {@code bytes}. */
  public static boolean contains(byte[] bytes, String text) {
    return dev.mnode.store.rocks.OldCopyAttack.indexOf(bytes, text.getBytes(StandardCharsets.UTF_8)) >= 0;
  }

  @Override
  public void close() {
    prekeys.close();
    identity.close();
    vaultSecret.close();
  }
}
