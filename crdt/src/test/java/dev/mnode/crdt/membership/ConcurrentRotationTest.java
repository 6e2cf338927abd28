package dev.mnode.crdt.membership;

import static dev.mnode.crdt.membership.Vault.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.EpochKeys;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.KeyEnvelope;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SecretBytes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Three devices rotate one class concurrently, each sealing a fresh key in key envelopes only to
 * the holders it sees; the epoch key is EpochKeys.combine over all three, which every kept device computes alike
 * and no removed device can.
 */
class ConcurrentRotationTest {
  private final DeviceIdentity first = Vault.device("first");
  private final DeviceIdentity a = Vault.device("a");
  private final DeviceIdentity b = Vault.device("b");
  private final DeviceIdentity c = Vault.device("c");
  private final DeviceIdentity d = Vault.device("d");
  private final DeviceIdentity e = Vault.device("e");
  /** Each device's prekeys, to seal key envelopes to. */
  private final Map<IdentityKey, PrekeyRing> rings = new HashMap<>();
  /** What each device opened: operation id to candidate key. */
  private final Map<IdentityKey, TreeMap<Bytes, SecretBytes>> mailbox = new HashMap<>();

  /**
   * Seals a fresh key for every epoch {@code op} started, in a key envelope to each holder {@code
   * log} sees, which opens it with its prekeys.
   */
  private void rotate(DeviceIdentity rotator, MembershipLog log, Operation op) throws CryptoException {
    for (Map.Entry<ClassTag, Integer> started : log.epochsStartedBy(op.id()).entrySet()) {
      try (SecretBytes key = SecretBytes.random(32)) {
        for (IdentityKey to : log.holders(started.getKey(), started.getValue())) {
          PrekeyRing ring = rings.get(to);
          KeyEnvelope sealed = KeyEnvelope.seal(rotator, ring.current(), Vault.ID, started.getKey(), started.getValue(), key);
          SecretBytes opened = KeyEnvelope.decode(sealed.encode()).open(ring);
          mailbox.computeIfAbsent(to, k -> new TreeMap<>()).put(op.id().bytes(), opened);
        }
      }
    }
  }

  @Test
  void concurrentRotations_combineIntoOneKey_onEveryKeptDevice_andNoRemovedOne() throws Exception {
    for (DeviceIdentity dev : List.of(first, a, b, c, d, e)) {
      rings.put(dev.publicKey(), new PrekeyRing(dev, Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC), PrekeyRing.DEFAULT_ROTATION));
    }
    Operation genesis = Vault.genesis(first, WORK);
    MembershipLog atFirst = Vault.log(genesis);
    for (DeviceIdentity dev : List.of(a, b, c, d, e)) {
      atFirst.addDevice(first, dev.publicKey(), "dev", List.of(WORK));
    }
    MembershipLog atA = Vault.log(genesis);
    MembershipLog atB = Vault.log(genesis);
    Vault.sync(atFirst, atA);
    Vault.sync(atFirst, atB);

    Operation byA = atA.ungrant(a, c.publicKey(), List.of(WORK));
    rotate(a, atA, byA);
    Operation byB = atB.revoke(b, d.publicKey());
    rotate(b, atB, byB);
    Operation byFirst = atFirst.ungrant(first, e.publicKey(), List.of(WORK));
    rotate(first, atFirst, byFirst);

    for (MembershipLog l : List.of(atFirst, atA, atB)) {
      Vault.sync(atFirst, l);
      Vault.sync(atA, l);
      Vault.sync(atB, l);
    }
    assertEquals(MembershipConvergenceTest.fingerprint(atFirst), MembershipConvergenceTest.fingerprint(atA));
    assertEquals(MembershipConvergenceTest.fingerprint(atFirst), MembershipConvergenceTest.fingerprint(atB));
    List<OperationId> rotations = atA.rotations(WORK, 2);
    assertEquals(MembershipLogTest.sortedIds(byA.id(), byB.id(), byFirst.id()), rotations);
    Set<IdentityKey> kept = Set.of(first.publicKey(), a.publicKey(), b.publicKey());
    assertEquals(kept, atA.holders(WORK, 2));

    SecretBytes epochKey = null;
    for (IdentityKey holder : kept) {
      TreeMap<Bytes, SecretBytes> got = mailbox.get(holder);
      assertEquals(rotations.stream().map(OperationId::bytes).toList(), List.copyOf(got.keySet()), "holder received every candidate");
      SecretBytes k = EpochKeys.combine(WORK, 2, got);
      if (epochKey == null) {
        epochKey = k;
      } else {
        assertTrue(epochKey.equalsConstantTime(k), "every holder computes the same epoch key");
      }
    }
    Map<IdentityKey, OperationId> removedBy = Map.of(c.publicKey(), byA.id(), d.publicKey(), byB.id(), e.publicKey(), byFirst.id());
    for (Map.Entry<IdentityKey, OperationId> r : removedBy.entrySet()) {
      TreeMap<Bytes, SecretBytes> got = mailbox.get(r.getKey());
      assertFalse(got.containsKey(r.getValue().bytes()), "the operation that removed a device sent it nothing");
      assertEquals(2, got.size(), "it did receive the other two candidates");
      assertFalse(epochKey.equalsConstantTime(EpochKeys.combine(WORK, 2, got)), "two of three candidates give another key");
      assertFalse(atA.mayWrite(r.getKey(), WORK, 2, 1));
    }
    assertTrue(atA.mayWrite(c.publicKey(), WORK, 1, 1), "an ungranted device wrote epoch 1 while it held the class");
    assertFalse(atA.mayWrite(d.publicKey(), WORK, 1, 1), "a device revoked with an empty cut may write nothing");
  }
}
