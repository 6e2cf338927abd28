package dev.mnode.crdt.membership;

import static dev.mnode.crdt.membership.Vault.HEALTH;
import static dev.mnode.crdt.membership.Vault.PERSONAL;
import static dev.mnode.crdt.membership.Vault.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cut of a revocation: which bundles of a revoked device stay acceptable, the same on every
 * device whatever it learnt first.
 */
class RevocationCutTest {
  private final DeviceIdentity laptop = Vault.device("laptop");
  private final DeviceIdentity phone = Vault.device("phone");
  private final DeviceIdentity tablet = Vault.device("tablet");
  private final DeviceIdentity desktop = Vault.device("desktop");
  private final DeviceIdentity stranger = Vault.device("stranger");
  private Operation genesis;
  private MembershipLog log;

  @BeforeEach
  void startVault() throws Exception {
    genesis = Vault.genesis(laptop, WORK, PERSONAL);
    log = Vault.log(genesis);
  }

  private static IdentityKey key(DeviceIdentity d) {
    return d.publicKey();
  }

  private MembershipLog replica() throws Exception {
    MembershipLog copy = Vault.log(genesis);
    Vault.sync(log, copy);
    return copy;
  }

  /** A fresh device receiving every operation of {@code from} in reverse replay order. */
  private MembershipLog reversedCopyOf(MembershipLog from) throws Exception {
    MembershipLog copy = Vault.log(genesis);
    List<Operation> ops = new ArrayList<>(from.missingFor(List.of()));
    Collections.reverse(ops);
    ops.forEach(op -> assertTrue(copy.receive(op.encode()).status() != ReceiveResult.Status.REJECTED, op.toString()));
    assertEquals(from.size(), copy.size());
    return copy;
  }

  @Test
  void aRevokedDevice_mayWriteUpToItsCut_inTheEpochsItHeld_andNothingElse() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK, PERSONAL));
    assertTrue(log.mayWrite(key(phone), WORK, 1, Long.MAX_VALUE), "a member is not bounded by seq");
    assertEquals(Optional.empty(), log.revocationCut(key(phone)));

    Operation r = log.revoke(laptop, key(phone), Map.of(WORK, 5L));
    assertEquals(Map.of(WORK, 5L), r.cut());
    assertEquals(Optional.of(Map.of(WORK, 5L)), log.revocationCut(key(phone)));
    assertTrue(log.mayWrite(key(phone), WORK, 1, 1));
    assertTrue(log.mayWrite(key(phone), WORK, 1, 5));
    assertFalse(log.mayWrite(key(phone), WORK, 1, 6));
    assertFalse(log.mayWrite(key(phone), PERSONAL, 1, 1), "a class the cut does not name counts as 0");
    assertFalse(log.mayWrite(key(phone), WORK, 2, 1), "nor the epoch its revocation started, even below the cut");
    assertEquals(Set.of(key(laptop)), log.holders(WORK, 1), "holders, who get keys, still leave it out");
    assertTrue(log.mayWrite(key(laptop), WORK, 2, Long.MAX_VALUE));
    assertEquals(Optional.empty(), log.revocationCut(key(laptop)));
    assertEquals(Optional.empty(), log.revocationCut(key(stranger)));
    assertThrows(IllegalArgumentException.class, () -> log.mayWrite(key(phone), WORK, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> log.revoke(laptop, key(tablet), Map.of(WORK, -1L)));
  }

  @Test
  void revokeWithoutACut_leavesNoBundleOfTheDeviceAcceptable() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    Operation r = log.revoke(laptop, key(phone));
    assertEquals(Map.of(), r.cut());
    assertEquals(Optional.of(Map.of()), log.revocationCut(key(phone)));
    assertFalse(log.mayWrite(key(phone), WORK, 1, 1));
  }

  /**
   * The problem the cut solves: one device applies the honest bundle 3 of the phone before it
   * learns of the phone's revocation, another learns of the revocation first. Both accept bundle 3
   * and refuse bundle 4, which the thief wrote after the laptop's cut.
   */
  @Test
  @SuppressWarnings("deprecation")
  void devicesLearningOfARevocationBeforeOrAfterABundle_agreeOnIt() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    MembershipLog early = replica();
    MembershipLog late = replica();
    assertTrue(late.mayWrite(key(phone), WORK, 1, 3), "the late device applies bundle 3 before it hears of the revocation");
    assertTrue(late.mayWrite(key(phone), WORK, 1, 4), "and bundle 4");

    log.revoke(laptop, key(phone), Map.of(WORK, 3L));
    Vault.sync(log, early);
    assertTrue(early.mayWrite(key(phone), WORK, 1, 3), "the early device accepts the honest bundle it gets after the revocation");
    assertFalse(early.mayWrite(key(phone), WORK, 1, 4));
    Vault.sync(log, late);
    assertTrue(late.mayWrite(key(phone), WORK, 1, 3));
    assertFalse(late.mayWrite(key(phone), WORK, 1, 4), "the late device must re-derive WORK without bundle 4");
    assertEquals(Optional.of(Map.of(WORK, 3L)), late.revocationCut(key(phone)), "which the cut tells it");

    // The three-argument form refuses bundle 3 on the early device too: what made it diverge.
    assertFalse(early.mayWrite(key(phone), WORK, 1));
  }

  @Test
  void concurrentRevocationsOfOneDevice_keepTheHighestCutOfEachClass_inAnyOrder() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK, PERSONAL));
    log.addDevice(laptop, key(tablet), "tablet", List.of(WORK, PERSONAL));
    MembershipLog atTablet = replica();
    Operation byLaptop = log.revoke(laptop, key(phone), Map.of(WORK, 3L, PERSONAL, 9L));
    Operation byTablet = atTablet.revoke(tablet, key(phone), Map.of(WORK, 7L));
    assertFalse(log.mayWrite(key(phone), WORK, 1, 7), "before the tablet's revocation arrives, 7 is above the cut");
    assertFalse(atTablet.mayWrite(key(phone), PERSONAL, 1, 1), "the tablet's own cut names no PERSONAL");
    Vault.sync(atTablet, log);
    Vault.sync(log, atTablet);
    for (MembershipLog l : List.of(log, atTablet, reversedCopyOf(log))) {
      assertEquals(Optional.of(Map.of(WORK, 7L, PERSONAL, 9L)), l.revocationCut(key(phone)));
      assertTrue(l.mayWrite(key(phone), WORK, 1, 7), "the tablet accepted up to 7: kept");
      assertFalse(l.mayWrite(key(phone), WORK, 1, 8));
      assertTrue(l.mayWrite(key(phone), PERSONAL, 1, 9), "a revocation without a PERSONAL entry takes nothing away");
      assertFalse(l.mayWrite(key(phone), PERSONAL, 1, 10));
      assertEquals(MembershipLogTest.sortedIds(byLaptop.id(), byTablet.id()), l.rotations(WORK, 2));
    }
  }

  @Test
  void devicesRevokingEachOther_keepOnlyWhatTheOtherHadAccepted() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.addDevice(laptop, key(tablet), "tablet", List.of(WORK));
    MembershipLog atPhone = replica();
    MembershipLog atTablet = replica();
    atPhone.revoke(phone, key(tablet), Map.of(WORK, 4L));
    atTablet.revoke(tablet, key(phone), Map.of(WORK, 2L));
    for (MembershipLog l : List.of(log, atPhone, atTablet)) {
      Vault.sync(atPhone, l);
      Vault.sync(atTablet, l);
    }
    for (MembershipLog l : List.of(log, atPhone, atTablet, reversedCopyOf(log))) {
      assertEquals(Optional.of(Map.of(WORK, 2L)), l.revocationCut(key(phone)));
      assertEquals(Optional.of(Map.of(WORK, 4L)), l.revocationCut(key(tablet)));
      assertTrue(l.mayWrite(key(phone), WORK, 1, 2));
      assertFalse(l.mayWrite(key(phone), WORK, 1, 3));
      assertTrue(l.mayWrite(key(tablet), WORK, 1, 4));
      assertFalse(l.mayWrite(key(tablet), WORK, 1, 5));
      assertTrue(l.mayWrite(key(laptop), WORK, 2, 1_000));
    }
  }

  @Test
  void aCutNamingAClassTheDeviceNeverHeld_isStored_butMakesNothingAcceptable() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    MembershipLog other = replica();
    Operation r = log.revoke(laptop, key(phone), Map.of(WORK, 2L, PERSONAL, 50L, HEALTH, 5L));
    assertEquals(ReceiveResult.Status.STORED, other.receive(r.encode()).status(), "not a reason to reject a revocation");
    for (MembershipLog l : List.of(log, other)) {
      assertEquals(Optional.of(Map.of(WORK, 2L, PERSONAL, 50L, HEALTH, 5L)), l.revocationCut(key(phone)));
      assertFalse(l.mayWrite(key(phone), PERSONAL, 1, 1), "the phone never held PERSONAL");
      assertFalse(l.mayWrite(key(phone), HEALTH, 1, 1), "no one holds HEALTH");
      assertTrue(l.mayWrite(key(phone), WORK, 1, 2));
      assertEquals(Map.of(WORK, 2), l.epochsStartedBy(r.id()), "the cut starts no epoch");
    }
  }

  @Test
  void anUngrantedThenRevokedDevice_keepsItsBundlesOfTheEpochsItHeld_upToTheCut() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.ungrant(laptop, key(phone), List.of(WORK));
    Operation r = log.revoke(laptop, key(phone), Map.of(WORK, 4L));
    assertEquals(Map.of(), log.epochsStartedBy(r.id()), "it held nothing any more");
    assertTrue(log.mayWrite(key(phone), WORK, 1, 4));
    assertFalse(log.mayWrite(key(phone), WORK, 1, 5));
    assertFalse(log.mayWrite(key(phone), WORK, 2, 1), "it never held epoch 2");
  }

  /**
   * The open gap of docs/sync-keys.md: the tablet grants PERSONAL to the phone concurrently with
   * the laptop revoking it. The phone received the PERSONAL key, but the laptop's cut names no
   * PERSONAL, so none of its PERSONAL bundles counts anywhere.
   */
  @Test
  void aGrantConcurrentWithTheRevocation_letsTheDeviceWriteNothingInThatClass() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.addDevice(laptop, key(tablet), "tablet", List.of(WORK, PERSONAL));
    MembershipLog atTablet = replica();
    log.revoke(laptop, key(phone), Map.of(WORK, 3L));
    atTablet.grant(tablet, key(phone), List.of(PERSONAL));
    assertTrue(atTablet.mayWrite(key(phone), PERSONAL, 1, 1), "the tablet, unaware, would take a PERSONAL bundle");
    Vault.sync(atTablet, log);
    Vault.sync(log, atTablet);
    for (MembershipLog l : List.of(log, atTablet, reversedCopyOf(log))) {
      assertFalse(l.mayWrite(key(phone), PERSONAL, 1, 1));
      assertTrue(l.mayWrite(key(phone), WORK, 1, 3));
    }
  }

  /**
   * As above, but the tablet, having granted PERSONAL and accepted two PERSONAL bundles, revokes
   * the phone too, before it hears of the laptop's revocation: its revocation shows the phone held
   * PERSONAL at epoch 1 and its cut keeps those two bundles, on every device.
   */
  @Test
  void aRevokerThatSawTheConcurrentGrant_keepsWhatItAcceptedInThatClass() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.addDevice(laptop, key(tablet), "tablet", List.of(WORK, PERSONAL));
    MembershipLog atTablet = replica();
    log.revoke(laptop, key(phone), Map.of(WORK, 3L));
    atTablet.grant(tablet, key(phone), List.of(PERSONAL));
    Operation byTablet = atTablet.revoke(tablet, key(phone), Map.of(WORK, 1L, PERSONAL, 2L));
    assertEquals(Map.of(WORK, 2, PERSONAL, 2), atTablet.epochsStartedBy(byTablet.id()));
    Vault.sync(atTablet, log);
    Vault.sync(log, atTablet);
    for (MembershipLog l : List.of(log, atTablet, reversedCopyOf(log))) {
      assertEquals(Optional.of(Map.of(WORK, 3L, PERSONAL, 2L)), l.revocationCut(key(phone)));
      assertTrue(l.mayWrite(key(phone), PERSONAL, 1, 2));
      assertFalse(l.mayWrite(key(phone), PERSONAL, 1, 3));
      assertFalse(l.mayWrite(key(phone), PERSONAL, 2, 1), "not the epoch the tablet's revocation started");
      assertTrue(l.mayWrite(key(phone), WORK, 1, 3));
    }
  }

  /**
   * The stolen phone adds an accomplice, who revokes the desktop with a generous cut, concurrently
   * with the laptop revoking both the phone and the desktop. The accomplice's revocation is skipped
   * in the replay (the accomplice never became a member), so its cut widens nothing.
   */
  @Test
  void aRevocationThatDoesNotCount_cannotWidenTheCut() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.addDevice(laptop, key(desktop), "desktop", List.of(WORK));
    MembershipLog atPhone = replica();
    log.revoke(laptop, key(phone), Map.of(WORK, 1L));
    log.revoke(laptop, key(desktop), Map.of(WORK, 3L));
    atPhone.addDevice(phone, key(stranger), "accomplice", List.of(WORK));
    Operation widening = atPhone.revoke(stranger, key(desktop), Map.of(WORK, 100L));
    assertTrue(atPhone.mayWrite(key(desktop), WORK, 1, 100), "precondition: in the phone's view the cut is 100");
    Vault.sync(atPhone, log);
    Vault.sync(log, atPhone);
    for (MembershipLog l : List.of(log, atPhone, reversedCopyOf(log))) {
      assertTrue(l.get(widening.id()).isPresent(), "stored: valid in its causal past");
      assertEquals(Optional.of(Map.of(WORK, 3L)), l.revocationCut(key(desktop)));
      assertTrue(l.mayWrite(key(desktop), WORK, 1, 3));
      assertFalse(l.mayWrite(key(desktop), WORK, 1, 4));
      assertFalse(l.mayWrite(key(stranger), WORK, 1, 1));
      assertTrue(l.member(key(stranger)).isEmpty());
    }
  }

  @Test
  void theCutTravelsWithTheRevocation_andIsTheSameAfterDecoding() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK, PERSONAL));
    MembershipLog other = replica();
    Operation r = log.revoke(laptop, key(phone), Map.of(PERSONAL, 0L, WORK, 12L));
    assertEquals(ReceiveResult.Status.STORED, other.receive(r.encode()).status());
    assertEquals(r.id(), other.heads().get(0));
    Map<ClassTag, Long> expected = Map.of(PERSONAL, 0L, WORK, 12L);
    assertEquals(Optional.of(expected), other.revocationCut(key(phone)));
    assertFalse(other.mayWrite(key(phone), PERSONAL, 1, 1), "a 0 entry keeps nothing");
    assertTrue(other.mayWrite(key(phone), WORK, 1, 12));
  }
}
