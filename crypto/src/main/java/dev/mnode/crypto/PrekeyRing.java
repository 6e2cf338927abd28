package dev.mnode.crypto;

import com.google.crypto.tink.subtle.X25519;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A device's signed prekeys: the current one, which others seal key envelopes to, and older ones
 * kept only while an envelope sent to them may still be pending. {@link #current()} rotates to a
 * fresh prekey once the current one is older than the rotation period (7 days by default). Erasing
 * a prekey wipes its private key, after which nothing sealed to it opens, not even with the
 * device's identity key: this is what makes key exchange forward-secret.
 *
 * <p>Thread-safe: every method synchronizes on this ring.
 */
public final class PrekeyRing implements AutoCloseable {
  public static final Duration DEFAULT_ROTATION = Duration.ofDays(7);

  private final DeviceIdentity identity;
  private final Clock clock;
  private final Duration rotation;

  /** Prekeys by id, oldest first. Guarded by this. */
  private final TreeMap<Integer, Entry> prekeys = new TreeMap<>();

  private int nextId = 1;

  private record Entry(SignedPrekey pub, SecretBytes privateKey) {}

  public PrekeyRing(DeviceIdentity identity, Clock clock, Duration rotation) {
    if (rotation.isNegative() || rotation.isZero()) {
      throw new IllegalArgumentException("rotation must be positive: " + rotation);
    }
    this.identity = identity;
    this.clock = clock;
    this.rotation = rotation;
  }

  /** Returns the current signed prekey, first rotating to a new one when it is due. */
  public synchronized SignedPrekey current() {
    Instant now = clock.instant();
    if (prekeys.isEmpty()
        || !now.isBefore(prekeys.lastEntry().getValue().pub().created().plus(rotation))) {
      rotate(now);
    }
    return prekeys.lastEntry().getValue().pub();
  }

  /** Creates a new current prekey now, whatever the age of the old one. */
  public synchronized SignedPrekey rotate() {
    rotate(clock.instant());
    return prekeys.lastEntry().getValue().pub();
  }

  private void rotate(Instant now) {
    byte[] priv = X25519.generatePrivateKey();
    try {
      Bytes pub = Bytes.copyOf(X25519.publicFromPrivate(priv));
      int id = nextId++;
      Bytes sig = Bytes.copyOf(identity.sign(SignedPrekey.signedBytes(identity.publicKey(), id, now, pub)));
      prekeys.put(id, new Entry(new SignedPrekey(identity.publicKey(), id, now, pub, sig), SecretBytes.copyOf(priv)));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    } finally {
      java.util.Arrays.fill(priv, (byte) 0);
    }
  }

  /** Returns the ids of the prekeys whose private keys are still held, oldest first. */
  public synchronized List<Integer> retained() {
    return new ArrayList<>(prekeys.keySet());
  }

  /**
   * Erases the private key of prekey {@code id}; the current prekey is never erased (rotate
   * first). Returns false when it was not held.
   */
  public synchronized boolean erase(int id) {
    if (!prekeys.isEmpty() && prekeys.lastKey() == id) {
      throw new IllegalStateException("prekey " + id + " is current: rotate before erasing it");
    }
    Entry e = prekeys.remove(id);
    if (e == null) {
      return false;
    }
    e.privateKey().close();
    return true;
  }

  /** Erases every older prekey not in {@code stillNeeded}; returns how many were erased. */
  public synchronized int eraseAllBut(Set<Integer> stillNeeded) {
    int erased = 0;
    for (Integer id : new ArrayList<>(prekeys.headMap(prekeys.lastKey()).keySet())) {
      if (!stillNeeded.contains(id) && erase(id)) {
        erased++;
      }
    }
    return erased;
  }

  /** Returns a copy of the private key of prekey {@code id} while it is held. */
  synchronized Optional<SecretBytes> privateKey(int id) {
    Entry e = prekeys.get(id);
    return e == null ? Optional.empty() : Optional.of(SecretBytes.wrap(e.privateKey().copy()));
  }

  IdentityKey owner() {
    return identity.publicKey();
  }

  /**
   * Returns the ring's state, private keys included, for sealing at rest:
   *
   * <pre>
   * version u8 = 1 | next id u32 | count u16 | per prekey: signed prekey (SignedPrekey encoding) |
   * private key (32)
   * </pre>
   */
  public synchronized SecretBytes export() {
    java.nio.ByteBuffer out =
        java.nio.ByteBuffer.allocate(1 + 4 + 2 + prekeys.size() * (SignedPrekey.ENCODED_BYTES + 32));
    out.put((byte) 1).putInt(nextId).putShort((short) prekeys.size());
    for (Entry e : prekeys.values()) {
      out.put(e.pub().encode());
      byte[] priv = e.privateKey().copy();
      out.put(priv);
      java.util.Arrays.fill(priv, (byte) 0);
    }
    return SecretBytes.wrap(out.array());
  }

  /**
   * Rebuilds a ring from {@link #export()}'s bytes.
   *
   * @throws CryptoException if they are malformed, belong to another identity, or a prekey's
   *     signature or key pair does not check
   */
  public static PrekeyRing restore(DeviceIdentity identity, Clock clock, Duration rotation, SecretBytes state)
      throws CryptoException {
    byte[] bytes = state.copy();
    PrekeyRing ring = new PrekeyRing(identity, clock, rotation);
    try {
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
      if (bytes.length < 7 || in.get() != 1) {
        throw new CryptoException("not a version-1 prekey ring");
      }
      ring.nextId = in.getInt();
      int count = in.getShort() & 0xffff;
      if (in.remaining() != count * (SignedPrekey.ENCODED_BYTES + 32)) {
        throw new CryptoException("prekey ring length does not match its count");
      }
      for (int i = 0; i < count; i++) {
        byte[] pub = new byte[SignedPrekey.ENCODED_BYTES];
        in.get(pub);
        SignedPrekey p = SignedPrekey.decode(pub);
        byte[] priv = new byte[32];
        in.get(priv);
        try {
          if (!p.owner().equals(identity.publicKey())
              || !p.verify()
              || !java.util.Arrays.equals(X25519.publicFromPrivate(priv), p.publicKey().toByteArray())
              || p.id() >= ring.nextId) {
            throw new CryptoException("prekey " + p.id() + " in the ring does not check");
          }
          ring.prekeys.put(p.id(), new Entry(p, SecretBytes.copyOf(priv)));
        } catch (InvalidKeyException e) {
          throw new CryptoException("prekey " + p.id() + " has a bad private key");
        } finally {
          java.util.Arrays.fill(priv, (byte) 0);
        }
      }
      return ring;
    } catch (java.nio.BufferUnderflowException e) {
      ring.close();
      throw new CryptoException("truncated prekey ring");
    } catch (CryptoException e) {
      ring.close();
      throw e;
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public synchronized void close() {
    prekeys.values().forEach(e -> e.privateKey().close());
    prekeys.clear();
  }
}
