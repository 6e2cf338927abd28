package dev.mnode.crdt.membership;

import static dev.mnode.crdt.membership.Vault.HEALTH;
import static dev.mnode.crdt.membership.Vault.PERSONAL;
import static dev.mnode.crdt.membership.Vault.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules of the membership log, one at a time. */
class MembershipLogTest {
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

  private static void assertRejected(ReceiveResult r, Rejection reason) {
    assertEquals(ReceiveResult.Status.REJECTED, r.status(), r.detail());
    assertEquals(reason, r.reason().orElseThrow(), r.detail());
  }

  /** A copy of {@code log} on another device. */
  private MembershipLog replica() throws Exception {
    MembershipLog copy = Vault.log(genesis);
    Vault.sync(log, copy);
    return copy;
  }

  @Test
  void genesis_makesItsAuthorTheFirstMember_withEveryClassAtEpoch1() {
    assertEquals(List.of(new Member(key(laptop), "first", sortedTags(WORK, PERSONAL), false)), log.members());
    assertEquals(OptionalInt.of(1), log.currentEpoch(WORK));
    assertEquals(OptionalInt.empty(), log.currentEpoch(HEALTH));
    assertEquals(List.of(genesis.id()), log.rotations(WORK, 1));
    assertEquals(Set.of(key(laptop)), log.holders(WORK, 1));
    assertTrue(log.mayWrite(key(laptop), WORK, 1, 1));
    assertFalse(log.mayWrite(key(laptop), WORK, 2, 1));
    assertFalse(log.mayWrite(key(laptop), HEALTH, 1, 1));
  }

  @Test
  void addGrantAndRename_showInTheMembers() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(PERSONAL));
    log.grant(laptop, key(phone), List.of(WORK));
    log.rename(phone, key(laptop), "old laptop");
    assertEquals(new Member(key(phone), "phone", sortedTags(WORK, PERSONAL), false), log.member(key(phone)).orElseThrow());
    assertEquals("old laptop", log.member(key(laptop)).orElseThrow().name());
    assertEquals(OptionalInt.of(1), log.currentEpoch(WORK), "a grant starts no epoch");
    assertTrue(log.mayWrite(key(phone), WORK, 1, 1));
  }

  @Test
  void grantingAClassNoOneHasYet_createsItAtEpoch1_butGrantingAnotherMembersClass_isRefused() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of());
    Operation health = log.grant(phone, key(phone), List.of(HEALTH));
    assertEquals(Map.of(HEALTH, 1), log.epochsStartedBy(health.id()));
    assertEquals(List.of(health.id()), log.rotations(HEALTH, 1));
    MembershipException e = assertThrows(MembershipException.class, () -> log.grant(phone, key(phone), List.of(WORK)));
    assertEquals(Rejection.NOT_HOLDER, e.reason());
    assertEquals(List.of(), log.member(key(phone)).orElseThrow().classes().stream().filter(WORK::equals).toList());
  }

  @Test
  void ungrant_startsTheNextEpoch_whoseHoldersLackTheDevice() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK, PERSONAL));
    Operation u = log.ungrant(laptop, key(phone), List.of(WORK));
    assertEquals(Map.of(WORK, 2), log.epochsStartedBy(u.id()));
    assertEquals(OptionalInt.of(2), log.currentEpoch(WORK));
    assertEquals(OptionalInt.of(1), log.currentEpoch(PERSONAL));
    assertEquals(List.of(u.id()), log.rotations(WORK, 2));
    assertEquals(Set.of(key(laptop)), log.holders(WORK, 2));
    assertEquals(Set.of(key(laptop), key(phone)), log.holders(WORK, 1), "the phone wrote epoch 1 while it held the class");
    assertTrue(log.mayWrite(key(phone), WORK, 1, 1));
    assertFalse(log.mayWrite(key(phone), WORK, 2, 1));
    assertThrows(MembershipException.class, () -> log.ungrant(laptop, key(phone), List.of(WORK)));
  }

  @Test
  void rotate_startsTheNextEpochOfItsClasses_keepingEveryHolder() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    Operation r = log.rotate(phone, List.of(WORK));
    assertEquals(Operation.Kind.ROTATE, r.kind());
    assertEquals(Map.of(WORK, 2), log.epochsStartedBy(r.id()));
    assertEquals(OptionalInt.of(2), log.currentEpoch(WORK));
    assertEquals(OptionalInt.of(1), log.currentEpoch(PERSONAL));
    assertEquals(Set.of(key(laptop), key(phone)), log.holders(WORK, 2));
    assertEquals(List.of(WORK), log.member(key(phone)).orElseThrow().classes());
    assertTrue(log.mayWrite(key(phone), WORK, 2, 1));
    MembershipException notHeld = assertThrows(MembershipException.class, () -> log.rotate(phone, List.of(PERSONAL)));
    assertEquals(Rejection.NOT_HOLDER, notHeld.reason());
    assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.ROTATE, log.heads(), key(phone), "", List.of(WORK)));
    Operation again = Operation.decode(r.encode());
    assertEquals(r.id(), again.id());
  }

  @Test
  void revoke_startsANewEpochOfEveryClassTheDeviceHeld_andIsPermanent() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    Operation r = log.revoke(laptop, key(phone));
    assertEquals(Map.of(WORK, 2), log.epochsStartedBy(r.id()));
    assertEquals(OptionalInt.of(1), log.currentEpoch(PERSONAL));
    assertEquals(new Member(key(phone), "phone", List.of(), true), log.member(key(phone)).orElseThrow());
    assertFalse(log.mayWrite(key(phone), WORK, 1, 1), "revoked with an empty cut, a device may write nothing");
    MembershipException again = assertThrows(MembershipException.class, () -> log.addDevice(laptop, key(phone), "phone", List.of()));
    assertEquals(Rejection.BAD_SUBJECT, again.reason());
    assertThrows(MembershipException.class, () -> log.grant(laptop, key(phone), List.of(WORK)));
  }

  @Test
  void nobodyUngrantsOrRevokesItself() {
    assertThrows(IllegalArgumentException.class, () -> log.revoke(laptop, key(laptop)));
    assertThrows(IllegalArgumentException.class, () -> log.ungrant(laptop, key(laptop), List.of(WORK)));
  }

  @Test
  void anOperationByAStranger_isRejectedAndCounted() {
    Operation forged = Operation.sign(stranger, Vault.ID, Operation.Kind.ADD_DEVICE, log.heads(), key(tablet), "tablet", List.of());
    assertRejected(log.receive(forged.encode()), Rejection.NOT_A_MEMBER);
    assertEquals(1, log.rejectedCount(Rejection.NOT_A_MEMBER));
    assertTrue(log.member(key(tablet)).isEmpty());
  }

  @Test
  void anOperationWhoseSignatureIsNotItsAuthors_isRejected_andDoesNotPoisonTheGenuineOne() throws Exception {
    MembershipLog other = replica();
    Operation genuine = other.addDevice(laptop, key(phone), "phone", List.of(WORK));
    byte[] wrongSignature = genuine.encode();
    wrongSignature[wrongSignature.length - 1] ^= 1;
    assertRejected(log.receive(wrongSignature), Rejection.BAD_SIGNATURE);
    // The author field names the laptop, but a stranger signed it.
    Operation byStranger = Operation.sign(stranger, Vault.ID, Operation.Kind.ADD_DEVICE, log.heads(), key(tablet), "tablet", List.of());
    byte[] claimed = byStranger.encode();
    System.arraycopy(key(laptop).key().toByteArray(), 0, claimed, 1 + 16 + 1, 32);
    assertRejected(log.receive(claimed), Rejection.BAD_SIGNATURE);
    assertEquals(2, log.rejectedCount(Rejection.BAD_SIGNATURE));
    assertEquals(ReceiveResult.Status.STORED, log.receive(genuine.encode()).status());
  }

  @Test
  void anotherVaultsOperation_andASecondGenesis_areRejected() {
    Operation elsewhere = Operation.sign(laptop, Vault.OTHER_ID, Operation.Kind.ADD_DEVICE, log.heads(), key(phone), "phone", List.of());
    assertRejected(log.receive(elsewhere), Rejection.WRONG_VAULT);
    Operation second = Operation.genesis(laptop, Vault.ID, "again", List.of(HEALTH));
    assertRejected(log.receive(second), Rejection.SECOND_GENESIS);
    assertEquals(ReceiveResult.Status.DUPLICATE, log.receive(genesis).status());
    assertEquals(1, log.size());
  }

  @Test
  void anOperationByARevokedDevice_afterItsRevocation_isRejected() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.revoke(laptop, key(phone));
    Operation late = Operation.sign(phone, Vault.ID, Operation.Kind.ADD_DEVICE, log.heads(), key(tablet), "tablet", List.of(WORK));
    assertRejected(log.receive(late), Rejection.AUTHOR_REVOKED);
    assertThrows(MembershipException.class, () -> log.rename(phone, key(phone), "still here"));
    assertTrue(log.member(key(tablet)).isEmpty());
  }

  @Test
  void operationsByADeviceConcurrentWithItsRevocation_countForNothing_norDoTheirConsequences() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    MembershipLog atPhone = replica();
    // Meanwhile the stolen phone adds the thief's device, which grants itself a new class and adds
    // another device; the phone also grants WORK to the desktop, an honest member.
    log.addDevice(laptop, key(desktop), "desktop", List.of());
    Vault.sync(log, atPhone);
    Operation revoke = log.revoke(laptop, key(phone));
    atPhone.addDevice(phone, key(stranger), "thief", List.of(WORK));
    atPhone.grant(stranger, key(stranger), List.of(HEALTH));
    atPhone.addDevice(stranger, key(tablet), "accomplice", List.of(WORK));
    atPhone.grant(phone, key(desktop), List.of(WORK));
    atPhone.rename(phone, key(laptop), "pwned");

    Vault.sync(atPhone, log);
    Vault.sync(log, atPhone);
    for (MembershipLog l : List.of(log, atPhone)) {
      assertEquals(9, l.size(), "the concurrent operations stay in the DAG");
      assertTrue(l.member(key(stranger)).isEmpty());
      assertTrue(l.member(key(tablet)).isEmpty());
      assertEquals(List.of(), l.member(key(desktop)).orElseThrow().classes());
      assertEquals("first", l.member(key(laptop)).orElseThrow().name());
      assertTrue(l.member(key(phone)).orElseThrow().revoked());
      assertEquals(OptionalInt.empty(), l.currentEpoch(HEALTH), "the thief's class creation counts for nothing");
      assertEquals(Set.of(key(laptop)), l.holders(WORK, 2));
      assertEquals(List.of(revoke.id()), l.rotations(WORK, 2));
      assertFalse(l.mayWrite(key(stranger), WORK, 1, 1));
    }
  }

  /** Revoke wins even when the replay reaches the concurrent operation before the revocation. */
  @Test
  void aConcurrentOperationReplayedBeforeTheRevocation_countsForNothing() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    MembershipLog atPhone = replica();
    Operation thief = atPhone.addDevice(phone, key(stranger), "thief", List.of(WORK));
    log.rename(laptop, key(laptop), "laptop 1");
    log.rename(laptop, key(laptop), "laptop 2");
    Operation revoke = log.revoke(laptop, key(phone));
    Vault.sync(atPhone, log);
    List<Operation> replay = log.missingFor(List.of());
    assertTrue(replay.indexOf(thief) < replay.indexOf(revoke), "precondition: the replay meets the thief's add first");
    assertTrue(log.member(key(stranger)).isEmpty());
    assertEquals(Set.of(key(laptop)), log.holders(WORK, 2));
    assertFalse(log.mayWrite(key(stranger), WORK, 1, 1));
  }

  /** An honest device passes on a class it got only from the revoked device: nothing passes. */
  @Test
  void aClassGrantedConcurrentlyWithTheGrantorsRevocation_cannotBePassedOn() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.addDevice(laptop, key(tablet), "tablet", List.of());
    log.addDevice(laptop, key(desktop), "desktop", List.of());
    MembershipLog elsewhere = replica();
    Operation revoke = log.revoke(laptop, key(phone));
    elsewhere.grant(phone, key(tablet), List.of(WORK));
    Operation passedOn = elsewhere.grant(tablet, key(desktop), List.of(WORK));
    Vault.sync(elsewhere, log);
    Vault.sync(log, elsewhere);
    for (MembershipLog l : List.of(log, elsewhere)) {
      assertTrue(l.get(passedOn.id()).isPresent(), "valid in its causal past, so stored");
      assertEquals(List.of(), l.member(key(tablet)).orElseThrow().classes());
      assertEquals(List.of(), l.member(key(desktop)).orElseThrow().classes());
      assertEquals(Set.of(key(laptop)), l.holders(WORK, 2));
      assertEquals(List.of(revoke.id()), l.rotations(WORK, 2));
    }
  }

  @Test
  void aGrantConcurrentWithTheRevocationOfItsGrantee_givesNothing() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(PERSONAL));
    log.addDevice(laptop, key(tablet), "tablet", List.of(WORK));
    MembershipLog atTablet = replica();
    log.revoke(laptop, key(phone));
    assertThrows(MembershipException.class, () -> atTablet.grant(tablet, key(tablet), List.of(PERSONAL)), "the tablet lacks PERSONAL");
    atTablet.grant(tablet, key(phone), List.of(WORK));
    atTablet.rename(tablet, key(phone), "renamed");
    Vault.sync(atTablet, log);
    Vault.sync(log, atTablet);
    for (MembershipLog l : List.of(log, atTablet)) {
      Member phoneNow = l.member(key(phone)).orElseThrow();
      assertTrue(phoneNow.revoked());
      assertEquals(List.of(), phoneNow.classes());
      assertEquals("phone", phoneNow.name(), "a rename concurrent with the revocation changes nothing");
    }
  }

  @Test
  void twoDevicesRevokingEachOtherConcurrently_areBothRevoked() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK, PERSONAL));
    log.addDevice(laptop, key(tablet), "tablet", List.of(WORK));
    MembershipLog atPhone = replica();
    MembershipLog atTablet = replica();
    Operation phoneRevokesTablet = atPhone.revoke(phone, key(tablet));
    Operation tabletRevokesPhone = atTablet.revoke(tablet, key(phone));
    for (MembershipLog l : List.of(log, atPhone, atTablet)) {
      Vault.sync(atPhone, l);
      Vault.sync(atTablet, l);
      assertTrue(l.member(key(phone)).orElseThrow().revoked());
      assertTrue(l.member(key(tablet)).orElseThrow().revoked());
      assertEquals(OptionalInt.of(2), l.currentEpoch(WORK), "concurrent rotations share one Lamport number");
      assertEquals(OptionalInt.of(2), l.currentEpoch(PERSONAL));
      assertEquals(sortedIds(phoneRevokesTablet.id(), tabletRevokesPhone.id()), l.rotations(WORK, 2));
      assertEquals(List.of(tabletRevokesPhone.id()), l.rotations(PERSONAL, 2));
      assertEquals(Set.of(key(laptop)), l.holders(WORK, 2));
    }
    Operation next = log.addDevice(laptop, key(desktop), "desktop", List.of(WORK));
    assertEquals(Map.of(), log.epochsStartedBy(next.id()));
    log.grant(laptop, key(desktop), List.of(PERSONAL));
    Operation after = log.ungrant(laptop, key(desktop), List.of(WORK, PERSONAL));
    assertEquals(Map.of(WORK, 3, PERSONAL, 3), log.epochsStartedBy(after.id()), "one more than the highest in the causal past");
  }

  @Test
  void epochNumbers_doNotChange_whenALateConcurrentRotationArrives() throws Exception {
    log.addDevice(laptop, key(phone), "phone", List.of(WORK));
    log.addDevice(laptop, key(tablet), "tablet", List.of(WORK));
    log.addDevice(laptop, key(desktop), "desktop", List.of(WORK));
    MembershipLog atDesktop = replica();
    Operation first = log.ungrant(laptop, key(phone), List.of(WORK));
    Operation second = log.ungrant(laptop, key(tablet), List.of(WORK));
    Operation late = atDesktop.revoke(desktop, key(phone));
    assertEquals(Map.of(WORK, 2), log.epochsStartedBy(first.id()));
    assertEquals(Map.of(WORK, 3), log.epochsStartedBy(second.id()));
    Vault.sync(atDesktop, log);
    assertEquals(Map.of(WORK, 2), log.epochsStartedBy(first.id()));
    assertEquals(Map.of(WORK, 3), log.epochsStartedBy(second.id()));
    assertEquals(Map.of(WORK, 2), log.epochsStartedBy(late.id()));
    assertEquals(sortedIds(first.id(), late.id()), log.rotations(WORK, 2));
    assertEquals(List.of(second.id()), log.rotations(WORK, 3));
    assertEquals(OptionalInt.of(3), log.currentEpoch(WORK));
    assertEquals(Set.of(key(laptop), key(desktop)), log.holders(WORK, 3));
  }

  @Test
  void anOperationWhoseParentIsMissing_isHeld_andStoredWhenTheParentArrives() throws Exception {
    MembershipLog other = replica();
    Operation add = other.addDevice(laptop, key(phone), "phone", List.of(WORK));
    Operation grant = other.rename(phone, key(laptop), "renamed by the phone");
    assertEquals(ReceiveResult.Status.HELD, log.receive(grant.encode()).status());
    assertEquals(ReceiveResult.Status.DUPLICATE, log.receive(grant.encode()).status());
    assertEquals(1, log.heldCount());
    ReceiveResult r = log.receive(add.encode());
    assertEquals(ReceiveResult.Status.STORED, r.status());
    assertEquals(List.of(add.id(), grant.id()), r.stored());
    assertEquals(0, log.heldCount());
    assertEquals(List.of(grant.id()), log.heads());
  }

  @Test
  void anOperationNamingARejectedParent_isRejected_evenWhenItArrivedFirst() throws Exception {
    Operation bad = Operation.sign(stranger, Vault.ID, Operation.Kind.ADD_DEVICE, log.heads(), key(tablet), "tablet", List.of());
    Operation child = Operation.sign(tablet, Vault.ID, Operation.Kind.RENAME, List.of(bad.id()), key(tablet), "t", List.of());
    Operation grandchild = Operation.sign(tablet, Vault.ID, Operation.Kind.RENAME, List.of(child.id()), key(tablet), "u", List.of());
    assertEquals(ReceiveResult.Status.HELD, log.receive(child).status());
    assertRejected(log.receive(bad), Rejection.NOT_A_MEMBER);
    assertEquals(0, log.heldCount());
    assertEquals(1, log.rejectedCount(Rejection.PARENT_REJECTED));
    assertRejected(log.receive(grandchild), Rejection.PARENT_REJECTED);
    assertRejected(log.receive(bad), Rejection.NOT_A_MEMBER);
  }

  @Test
  void beyondTheHeldLimit_operationsAreRefused_untilTheirParentsArrive() throws Exception {
    MembershipLog small = MembershipModule.startFrom(genesis, 1);
    MembershipLog other = replica();
    Operation add = other.addDevice(laptop, key(phone), "phone", List.of());
    Operation r1 = other.rename(laptop, key(phone), "p1");
    Operation r2 = other.rename(laptop, key(phone), "p2");
    assertEquals(ReceiveResult.Status.HELD, small.receive(r1).status());
    assertRejected(small.receive(r2), Rejection.HELD_LIMIT);
    assertEquals(ReceiveResult.Status.STORED, small.receive(add).status());
    assertEquals(ReceiveResult.Status.STORED, small.receive(r2).status());
    assertEquals("p2", small.member(key(phone)).orElseThrow().name());
  }

  @Test
  void missingFor_returnsWhatAPeerLacks_inReplayOrder() throws Exception {
    MembershipLog peer = replica();
    Operation a = log.addDevice(laptop, key(phone), "phone", List.of());
    Operation b = log.rename(laptop, key(phone), "p");
    assertEquals(List.of(a, b), log.missingFor(peer.heads()));
    assertEquals(List.of(b), log.missingFor(List.of(a.id())));
    assertEquals(List.of(), log.missingFor(log.heads()));
    assertEquals(List.of(genesis, a, b), log.missingFor(List.of()));
  }

  @Test
  void startingFromSomethingOtherThanASignedGenesis_isRefused() {
    Operation notGenesis = Operation.sign(laptop, Vault.ID, Operation.Kind.RENAME, List.of(genesis.id()), key(laptop), "x", List.of());
    assertThrows(IllegalArgumentException.class, () -> Vault.log(notGenesis));
    byte[] bad = genesis.encode();
    bad[bad.length - 5] ^= 1;
    MembershipException e = assertThrows(MembershipException.class, () -> Vault.log(Operation.decode(bad)));
    assertEquals(Rejection.BAD_SIGNATURE, e.reason());
  }

  static List<dev.mnode.crypto.ClassTag> sortedTags(dev.mnode.crypto.ClassTag... tags) {
    return java.util.Arrays.stream(tags).sorted(java.util.Comparator.comparing(dev.mnode.crypto.ClassTag::tag)).toList();
  }

  static List<OperationId> sortedIds(OperationId... ids) {
    return java.util.Arrays.stream(ids).sorted().toList();
  }
}
