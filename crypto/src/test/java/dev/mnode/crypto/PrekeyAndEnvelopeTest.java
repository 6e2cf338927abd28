package dev.mnode.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrekeyAndEnvelopeTest {
  private final MutableClock clock = new MutableClock("2026-11-26T10:00:00Z");
  private final DeviceIdentity alice = DeviceIdentity.generate();
  private final DeviceIdentity bob = DeviceIdentity.generate();
  private final SecretBytes vaultSecret = SecretBytes.random(32);
  private final Bytes vault = Bytes.copyOf(SecretBytes.random(16).copy());
  private final ClassTag work = ClassTag.of(vaultSecret, "work");

  @Test
  void identity_signsAndVerifies_andRebuildsFromSeed() {
    byte[] msg = "hello".getBytes();
    byte[] sig = alice.sign(msg);
    assertTrue(alice.publicKey().verify(msg, sig));
    assertFalse(bob.publicKey().verify(msg, sig));
    sig[0] ^= 1;
    assertFalse(alice.publicKey().verify(msg, sig));
    try (DeviceIdentity again = DeviceIdentity.fromSeed(alice.seed())) {
      assertEquals(alice.publicKey(), again.publicKey());
    }
  }

  @Test
  void prekey_isSignedByItsOwner_andTamperingIsDetected() throws Exception {
    PrekeyRing ring = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    SignedPrekey p = ring.current();
    assertTrue(p.verify());
    assertEquals(p, SignedPrekey.decode(p.encode()));
    byte[] bad = p.encode();
    bad[40] ^= 1;
    assertFalse(SignedPrekey.decode(bad).verify());
  }

  @Test
  void prekey_rotatesAfterSevenDays_notBefore() {
    PrekeyRing ring = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    SignedPrekey first = ring.current();
    clock.advance(Duration.ofDays(7).minusSeconds(1));
    assertEquals(first, ring.current());
    clock.advance(Duration.ofSeconds(1));
    SignedPrekey second = ring.current();
    assertNotEquals(first.id(), second.id());
    assertNotEquals(first.publicKey(), second.publicKey());
    assertEquals(List.of(first.id(), second.id()), ring.retained());
  }

  @Test
  void envelope_opensForTheRecipient_withTheKeyAndContextItWasSealedWith() throws Exception {
    PrekeyRing bobRing = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    SecretBytes epochKey = SecretBytes.random(32);
    KeyEnvelope e = KeyEnvelope.seal(alice, bobRing.current(), vault, work, 3, epochKey);
    KeyEnvelope received = KeyEnvelope.decode(e.encode());
    assertEquals(3, received.epoch());
    assertEquals(work, received.classTag());
    assertEquals(alice.publicKey(), received.sender());
    try (SecretBytes opened = received.open(bobRing)) {
      assertTrue(opened.equalsConstantTime(epochKey));
    }
  }

  @Test
  void envelope_isNotForOthers_andEveryFlippedByteIsRejected() throws Exception {
    PrekeyRing bobRing = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    PrekeyRing aliceRing = new PrekeyRing(alice, clock, PrekeyRing.DEFAULT_ROTATION);
    KeyEnvelope e = KeyEnvelope.seal(alice, bobRing.current(), vault, work, 1, SecretBytes.random(32));
    assertThrows(CryptoException.class, () -> e.open(aliceRing));
    byte[] good = e.encode();
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x20;
      assertThrows(CryptoException.class, () -> KeyEnvelope.decode(bad).open(bobRing), "byte " + i);
    }
  }

  @Test
  void envelope_withContextRewrittenAndResigned_doesNotOpen() throws Exception {
    // A member who re-signs an envelope it relays cannot move the key to another class or epoch:
    // the header is HPKE's info, so the key only opens under the context it was sealed for.
    PrekeyRing bobRing = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    KeyEnvelope e = KeyEnvelope.seal(alice, bobRing.current(), vault, work, 1, SecretBytes.random(32));
    byte[] bytes = e.encode();
    bytes[1 + 16 + 16 + 3] = 2; // epoch 1 -> 2
    byte[] unsigned = java.util.Arrays.copyOf(bytes, bytes.length - 64);
    byte[] sig = alice.sign(unsigned);
    System.arraycopy(sig, 0, bytes, bytes.length - 64, 64);
    KeyEnvelope forged = KeyEnvelope.decode(bytes);
    assertEquals(2, forged.epoch());
    assertThrows(CryptoException.class, () -> forged.open(bobRing));
  }

  @Test
  void envelope_toAnUnsignedPrekey_isRefused() {
    PrekeyRing bobRing = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    SignedPrekey p = bobRing.current();
    SignedPrekey forged = new SignedPrekey(p.owner(), p.id(), p.created(), Bytes.copyOf(new byte[32]), p.signature());
    assertThrows(CryptoException.class, () -> KeyEnvelope.seal(alice, forged, vault, work, 1, SecretBytes.random(32)));
  }

  @Test
  void erasedPrekey_envelopeNeverOpens_evenWithTheStolenIdentityKey() throws Exception {
    PrekeyRing bobRing = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    SecretBytes epochKey = SecretBytes.random(32);
    SignedPrekey old = bobRing.current();
    byte[] recorded = KeyEnvelope.seal(alice, old, vault, work, 1, epochKey).encode();
    try (SecretBytes k = KeyEnvelope.decode(recorded).open(bobRing)) {
      assertTrue(k.equalsConstantTime(epochKey));
    }
    // A week later Bob rotates, and once nothing pending needs the old prekey, erases it.
    clock.advance(Duration.ofDays(8));
    SignedPrekey now = bobRing.current();
    assertEquals(1, bobRing.eraseAllBut(Set.of()));
    assertEquals(List.of(now.id()), bobRing.retained());
    // An attacker who recorded the envelope steals Bob's identity seed and everything Bob holds.
    // The identity key signs prekeys but derives none: a ring rebuilt from it, even one whose
    // prekey carries the old id, holds a different X25519 key.
    try (DeviceIdentity stolen = DeviceIdentity.fromSeed(bob.seed())) {
      PrekeyRing stolenRing = new PrekeyRing(stolen, clock, PrekeyRing.DEFAULT_ROTATION);
      assertEquals(old.id(), stolenRing.current().id());
      assertThrows(CryptoException.class, () -> KeyEnvelope.decode(recorded).open(stolenRing));
    }
    CryptoException e = assertThrows(CryptoException.class, () -> KeyEnvelope.decode(recorded).open(bobRing));
    assertTrue(e.getMessage().contains("erased"), e.getMessage());
  }

  @Test
  void ring_exportedAndRestored_opensWhatItOpenedBefore_andKeepsErasuresErased() throws Exception {
    PrekeyRing ring = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    SignedPrekey first = ring.current();
    SecretBytes key = SecretBytes.random(32);
    byte[] toFirst = KeyEnvelope.seal(alice, first, vault, work, 1, key).encode();
    clock.advance(Duration.ofDays(7));
    SignedPrekey second = ring.current();
    byte[] toSecond = KeyEnvelope.seal(alice, second, vault, work, 2, key).encode();
    ring.erase(first.id());
    PrekeyRing restored = PrekeyRing.restore(bob, clock, PrekeyRing.DEFAULT_ROTATION, ring.export());
    assertEquals(second, restored.current());
    assertTrue(KeyEnvelope.decode(toSecond).open(restored).equalsConstantTime(key));
    assertThrows(CryptoException.class, () -> KeyEnvelope.decode(toFirst).open(restored));
    clock.advance(Duration.ofDays(7));
    assertTrue(restored.current().id() > second.id(), "ids keep counting after a restore");
    // Another identity cannot adopt the ring, and a damaged ring is refused.
    assertThrows(CryptoException.class, () -> PrekeyRing.restore(alice, clock, PrekeyRing.DEFAULT_ROTATION, ring.export()));
    byte[] bad = ring.export().copy();
    bad[bad.length - 1] ^= 1;
    assertThrows(CryptoException.class, () -> PrekeyRing.restore(bob, clock, PrekeyRing.DEFAULT_ROTATION, SecretBytes.copyOf(bad)));
  }

  @Test
  void currentPrekey_cannotBeErased() {
    PrekeyRing ring = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    SignedPrekey p = ring.current();
    assertThrows(IllegalStateException.class, () -> ring.erase(p.id()));
    assertArrayEquals(new Integer[] {p.id()}, ring.retained().toArray(new Integer[0]));
  }
}
