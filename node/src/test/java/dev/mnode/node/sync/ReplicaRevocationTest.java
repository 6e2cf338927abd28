package dev.mnode.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.BundleException;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.KeyEnvelope;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SealedBundle;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.rocks.RocksStoreModule;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ungranted or revoked device opens no bundle written after its removal, tried with every key
 * it holds and every key envelope ever addressed to it; and a device never holds a key of a class
 * it was not granted. Real stores, real membership logs, keys delivered by real key envelopes.
 */
class ReplicaRevocationTest {
  @TempDir Path tmp;

  final Clock clock = new ReplicaSimulationTest.Ticking();
  final Random random = new Random(7);
  final List<ReplicaSimulationTest.Device> devices = new ArrayList<>();
  ReplicaSimulationTest.Device alice;
  ReplicaSimulationTest.Device bob;
  ReplicaSimulationTest.Device carol;
  SecretBytes vaultSecret;
  ClassTag work;
  ClassTag health;

  void setUp() throws Exception {
    Bytes vault = Bytes.copyOf(new byte[16]);
    vaultSecret = SecretBytes.random(32);
    work = ClassTag.of(vaultSecret, "work");
    health = ClassTag.of(vaultSecret, "health");
    for (String name : List.of("alice", "bob", "carol")) {
      devices.add(new ReplicaSimulationTest.Device(name, random));
    }
    alice = devices.get(0);
    bob = devices.get(1);
    carol = devices.get(2);
    Operation genesis = Operation.genesis(alice.identity, vault, "alice", List.of(work, health));
    for (ReplicaSimulationTest.Device d : devices) {
      d.log = MembershipModule.startFrom(genesis, 1024);
      d.prekeys = new PrekeyRing(d.identity, clock, PrekeyRing.DEFAULT_ROTATION);
      d.store = RocksStoreModule.create(tmp.resolve(d.name), StorageKey.generate(), clock);
      d.replica = new Replica(d.store, d.identity, vault, vaultSecret, List.of("work", "health"), d.keys, d.log, d.prekeys, clock);
    }
    alice.replica.wrote(genesis);
    alice.replica.addDevice(bob.identity.publicKey(), "bob", List.of("work"));
    alice.replica.addDevice(carol.identity.publicKey(), "carol", List.of("work"));
    syncAll();
  }

  @AfterEach
  void tearDown() {
    for (ReplicaSimulationTest.Device d : devices) {
      d.replica.close();
      d.store.close();
      d.prekeys.close();
      d.keys.close();
    }
    vaultSecret.close();
  }

  void syncAll() throws Exception {
    for (int round = 0; round < 4; round++) {
      for (ReplicaSimulationTest.Device a : devices) {
        for (ReplicaSimulationTest.Device b : devices) {
          if (a != b) {
            ReplicaSimulationTest.exchange(a, b, random, false);
          }
        }
      }
    }
  }

  Memory write(ReplicaSimulationTest.Device d, String text, String c) throws Exception {
    return d.replica.create(Memory.builder(MemoryId.generate(clock), text, clock.instant()).memoryClass(new MemoryClass(c)).build());
  }

  /** Tries every key {@code d} could have: its keyring, and every envelope any device sealed to it. */
  void assertCannotOpen(ReplicaSimulationTest.Device d, byte[] bundle) throws Exception {
    SealedBundle b = SealedBundle.decode(bundle);
    BundleException e = assertThrows(BundleException.class, () -> b.open(d.keys), d.name + " opened it with its keyring");
    assertTrue(e.reason() == BundleException.Reason.NO_KEY || e.reason() == BundleException.Reason.DOES_NOT_OPEN);
    int envelopes = 0;
    for (ReplicaSimulationTest.Device sender : devices) {
      for (byte[] raw : sender.replica.envelopesFor(d.identity.publicKey())) {
        envelopes++;
        KeyEnvelope env = KeyEnvelope.decode(raw);
        try (SecretBytes slip = env.open(d.prekeys)) {
          KeySlip k = KeySlip.parse(slip.copy());
          try (SecretBytes key = k.key(); ClassKeyring one = new ClassKeyring()) {
            one.add(b.header().classTag(), b.header().epoch(), key);
            assertThrows(BundleException.class, () -> b.open(one), d.name + " opened it with an envelope from " + sender.name);
          }
        }
      }
    }
    assertTrue(envelopes > 0, "the removed device did receive keys before: the test tries them");
  }

  @Test
  void anUngrantedDevice_opensNothingWrittenAfter_withAllItsKeyMaterial() throws Exception {
    setUp();
    write(alice, "before: the release is on Friday", "work");
    syncAll();
    assertEquals(1L, carol.store.counts().get(new MemoryClass("work")));
    int epochBefore = alice.log.currentEpoch(work).orElseThrow();

    alice.replica.ungrant(carol.identity.publicKey(), List.of("work"));
    syncAll();
    assertTrue(alice.log.currentEpoch(work).orElseThrow() > epochBefore, "ungrant started a new epoch");
    Memory after = write(alice, "after: the release moved to Monday", "work");
    assertEquals(0, alice.replica.unsealed(), "alice has the new key and sealed at once");
    syncAll();

    assertTrue(bob.store.get(after.id()).isPresent(), "bob, still granted, reads it");
    assertFalse(carol.store.get(after.id()).isPresent());
    assertEquals(0L, carol.store.counts().getOrDefault(new MemoryClass("work"), 0L), "carol dropped the class");
    List<byte[]> sealedAfter = alice.replica.missing(bob.identity.publicKey(), java.util.Map.of(work, dev.mnode.crdt.VersionVector.empty()));
    byte[] last = sealedAfter.get(sealedAfter.size() - 1);
    assertEquals(alice.log.currentEpoch(work).orElseThrow(), SealedBundle.decode(last).header().epoch());
    assertCannotOpen(carol, last);
    assertTrue(carol.replica.receive(last).rejected().isPresent(), "carol refuses it too");
    assertTrue(alice.replica.missing(carol.identity.publicKey(), carol.replica.versionVectors()).isEmpty(), "nothing of work is sent to carol");
  }

  @Test
  void aRevokedDevice_opensNothingWrittenAfter_andNoDeviceHoldsAClassItWasNotGranted() throws Exception {
    setUp();
    write(bob, "bob was here", "work");
    syncAll();
    alice.replica.revoke(bob.identity.publicKey());
    syncAll();
    Memory after = write(carol, "written after bob was revoked", "work");
    syncAll();
    assertTrue(alice.store.get(after.id()).isPresent());
    assertFalse(bob.store.get(after.id()).isPresent());
    List<byte[]> fromCarol = carol.replica.missing(alice.identity.publicKey(), java.util.Map.of(work, dev.mnode.crdt.VersionVector.empty()));
    assertCannotOpen(bob, fromCarol.get(fromCarol.size() - 1));
    assertThrows(SyncException.class, () -> write(bob, "a revoked device writes", "work"));

    // health was only ever alice's: no other device holds a key of it, nor got one by envelope.
    write(alice, "I am allergic to penicillin", "health");
    syncAll();
    for (ReplicaSimulationTest.Device d : List.of(bob, carol)) {
      assertTrue(d.keys.currentEpoch(health).isEmpty(), d.name + " holds a health key");
      for (ReplicaSimulationTest.Device sender : devices) {
        for (byte[] raw : sender.replica.envelopesFor(d.identity.publicKey())) {
          assertFalse(KeyEnvelope.decode(raw).classTag().equals(health), sender.name + " sent " + d.name + " a health key");
        }
      }
      assertEquals(0L, d.store.counts().getOrDefault(new MemoryClass("health"), 0L));
    }
  }

  @Test
  void aStolenDeviceWritingAfterItsRevocation_countsNowhere_evenWhereItArrivedFirst() throws Exception {
    setUp();
    write(carol, "carol's honest note", "work");
    syncAll();
    alice.replica.revoke(carol.identity.publicKey());
    // carol has not heard of it and keeps writing under the old epoch; bob gets that first.
    Memory forged = write(carol, "transfer the budget to account X", "work");
    ReplicaSimulationTest.exchange(carol, bob, random, false);
    assertTrue(bob.store.get(forged.id()).isPresent(), "bob accepted it before he knew");
    syncAll();
    assertFalse(bob.store.get(forged.id()).isPresent(), "bob re-derived work without it once he learnt");
    assertFalse(alice.store.get(forged.id()).isPresent(), "alice never accepted it");
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
    assertEquals(1, alice.store.counts().get(new MemoryClass("work")), "carol's note from before the cut stays");
  }

  @Test
  void aSnapshotCoveringARevokedDevicesLaterWrites_isNotApplied_andThoseWritesCountNowhere() throws Exception {
    setUp();
    write(carol, "carol's honest note", "work");
    syncAll();
    alice.replica.revoke(carol.identity.publicKey());
    Memory forged = write(carol, "transfer the budget to account X", "work");
    ReplicaSimulationTest.exchange(carol, bob, random, false);
    // bob, not yet told, writes a snapshot that covers the forged write.
    List<byte[]> parts = bob.replica.snapshot("work");
    for (byte[] p : parts) {
      Replica.Outcome o = alice.replica.receive(p);
      assertTrue(o.rejected().isEmpty(), o::toString);
    }
    assertEquals(1L, alice.replica.rejections().get(Replica.Rejection.AUTHOR_NOT_ALLOWED), alice.replica.rejections()::toString);
    assertFalse(alice.store.get(forged.id()).isPresent(), "alice did not take the forged write from the snapshot");
    syncAll();
    assertFalse(bob.store.get(forged.id()).isPresent());
    assertFalse(alice.store.get(forged.id()).isPresent());
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
    assertEquals(alice.replica.versionVectors().get(work), bob.replica.versionVectors().get(work));
  }

  @Test
  void aClassTakenAndGivenBack_isReadableAgain_withItsOlderBundles() throws Exception {
    setUp();
    // Only alice can hand keys back to bob.
    alice.replica.ungrant(carol.identity.publicKey(), List.of("work"));
    syncAll();
    Memory old = write(bob, "bob's note of the first epoch", "work");
    Memory alices = write(alice, "alice's note of the first epoch", "work");
    syncAll();
    alice.replica.ungrant(bob.identity.publicKey(), List.of("work"));
    syncAll();
    assertEquals(0L, bob.store.counts().getOrDefault(new MemoryClass("work"), 0L), "bob dropped work");
    alice.replica.grant(bob.identity.publicKey(), List.of("work"));
    syncAll();
    assertTrue(bob.store.get(old.id()).isPresent(), "bob's own note is back");
    assertTrue(bob.store.get(alices.id()).isPresent(), "alice's note of the first epoch is readable again");
    Memory later = write(bob, "written after the class came back", "work");
    syncAll();
    assertTrue(alice.store.get(later.id()).isPresent());
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
  }

  @Test
  void aClassTakenAndGivenBackAtOnce_keepsTheWritesMadeMeanwhile() throws Exception {
    setUp();
    alice.replica.ungrant(carol.identity.publicKey(), List.of("work"));
    syncAll();
    Memory old = write(bob, "bob's note of the first epoch", "work");
    syncAll();
    alice.replica.ungrant(bob.identity.publicKey(), List.of("work"));
    alice.replica.grant(bob.identity.publicKey(), List.of("work"));
    for (byte[] op : alice.replica.operationsFor(bob.replica.heads())) {
      bob.replica.receiveOperation(op);
    }
    Memory waiting = write(bob, "written while the key is on its way", "work");
    syncAll();
    assertTrue(bob.store.get(old.id()).isPresent(), "bob's own note is back");
    assertTrue(alice.store.get(waiting.id()).isPresent(), "what bob wrote meanwhile reached alice");
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
  }
}
