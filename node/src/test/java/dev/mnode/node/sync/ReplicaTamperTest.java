package dev.mnode.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crdt.membership.MembershipLog;
import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.BundleHeader;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SealedBundle;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.rocks.RocksStoreModule;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a carrier or a rogue member can do to bundles, and that each is refused, counted and
 * reported while the honest bundles still apply: flipped bytes, swapped headers, a bundle replayed
 * under another seq, a second body for one seq (equivocation), a stranger's bundle, a bundle of
 * another vault, and a class the device does not hold.
 */
class ReplicaTamperTest {
  @TempDir Path tmp;

  final Clock clock = new ReplicaSimulationTest.Ticking();
  final Bytes vault = Bytes.copyOf(new byte[16]);
  final SecretBytes vaultSecret = SecretBytes.random(32);
  final DeviceIdentity alice = DeviceIdentity.generate();
  final DeviceIdentity bob = DeviceIdentity.generate();
  final ClassTag work = ClassTag.of(vaultSecret, "work");
  final ClassTag health = ClassTag.of(vaultSecret, "health");
  final ClassKeyring aliceKeys = new ClassKeyring();
  final ClassKeyring bobKeys = new ClassKeyring();
  SecretBytes workKey;
  MembershipLog log;
  // (bob's log is his own; alice's is "log")
  MemoryStore aliceStore;
  MemoryStore bobStore;
  Replica a;
  Replica b;

  PrekeyRing alicePrekeys;
  PrekeyRing bobPrekeys;

  @BeforeEach
  void setUp() throws Exception {
    Operation genesis = Operation.genesis(alice, vault, "alice", List.of(work, health));
    log = MembershipModule.startFrom(genesis, 64);
    MembershipLog bobLog = MembershipModule.startFrom(genesis, 64);
    alicePrekeys = new PrekeyRing(alice, clock, PrekeyRing.DEFAULT_ROTATION);
    bobPrekeys = new PrekeyRing(bob, clock, PrekeyRing.DEFAULT_ROTATION);
    aliceStore = RocksStoreModule.create(tmp.resolve("a"), StorageKey.generate(), clock);
    bobStore = RocksStoreModule.create(tmp.resolve("b"), StorageKey.generate(), clock);
    a = new Replica(aliceStore, alice, vault, vaultSecret, List.of("work", "health"), aliceKeys, log, alicePrekeys, clock);
    b = new Replica(bobStore, bob, vault, vaultSecret, List.of("work", "health"), bobKeys, bobLog, bobPrekeys, clock);
    a.wrote(genesis);
    a.addDevice(bob.publicKey(), "bob", List.of("work"));
    a.learnPrekey(b.prekey());
    for (byte[] op : a.operationsFor(b.heads())) {
      b.receiveOperation(op);
    }
    for (byte[] env : a.envelopesFor(bob.publicKey())) {
      assertTrue(b.receiveEnvelope(env).rejected().isEmpty());
    }
    workKey = aliceKeys.key(work, 1).orElseThrow();
    assertTrue(bobKeys.key(work, 1).isPresent(), "bob got the work key by envelope");
    assertTrue(bobKeys.currentEpoch(health).isEmpty(), "bob never gets a key of health");
  }

  @AfterEach
  void tearDown() {
    a.close();
    b.close();
    aliceStore.close();
    bobStore.close();
    alicePrekeys.close();
    bobPrekeys.close();
  }

  private Memory create(String text, String c) throws Exception {
    return a.create(Memory.builder(MemoryId.generate(clock), text, clock.instant()).memoryClass(new MemoryClass(c)).build());
  }

  private List<byte[]> aliceBundles() {
    return a.missing(bob.publicKey(), b.versionVectors());
  }

  @Test
  void everyFlippedByteIsRefused_andTheGenuineBundleStillApplies() throws Exception {
    Memory m = create("We chose Stripe over Adyen", "work");
    byte[] good = aliceBundles().get(0);
    for (int i = 0; i < good.length; i += Math.max(1, good.length / 300)) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      Replica.Outcome o = b.receive(bad);
      assertTrue(o.rejected().isPresent(), "byte " + i + " accepted");
    }
    assertEquals(Optional.empty(), bobStore.get(m.id()));
    assertEquals(1, b.receive(good).applied());
    assertEquals("We chose Stripe over Adyen", bobStore.get(m.id()).orElseThrow().text());
    long refused = b.rejections().values().stream().mapToLong(Long::longValue).sum();
    assertTrue(refused > 250, "refusals are counted: " + b.rejections());
  }

  @Test
  void swappedHeaders_replayUnderAnotherSeq_andEquivocation_areRefused() throws Exception {
    create("first", "work");
    create("second", "work");
    List<byte[]> two = aliceBundles();
    byte[] one = two.get(0);
    byte[] other = two.get(1);
    // Swap the 85-byte headers of two genuine bundles.
    byte[] swapped = one.clone();
    System.arraycopy(other, 0, swapped, 0, BundleHeader.BYTES);
    assertTrue(b.receive(swapped).rejected().isPresent());

    // Replay bundle 1's body under seq 3: the carrier cannot re-sign, so it is a bad signature.
    byte[] replay = one.clone();
    java.nio.ByteBuffer.wrap(replay).putLong(1 + 16 + 16 + 32, 3L);
    assertEquals(Optional.of(Replica.Rejection.BAD_SIGNATURE), b.receive(replay).rejected());

    // Alice herself signs a second, different body for seq 1 (equivocation).
    assertEquals(1, b.receive(one).applied());
    BundleHeader h = SealedBundle.decode(one).header();
    byte[] body = new byte[40];
    SealedBundle forked = SealedBundle.seal(alice, new BundleHeader(vault, work, alice.publicKey(), 1, h.epoch(), clock.instant()), workKey, body);
    assertEquals(Optional.of(Replica.Rejection.EQUIVOCATION), b.receive(forked.encode()).rejected());
    assertEquals(1, b.receive(other).applied());
    assertEquals(2, bobStore.counts().get(new MemoryClass("work")));
  }

  @Test
  void strangers_otherVaults_andUnheldClassesAreRefused() throws Exception {
    try (DeviceIdentity mallory = DeviceIdentity.generate()) {
      SealedBundle fromStranger =
          SealedBundle.seal(mallory, new BundleHeader(vault, work, mallory.publicKey(), 1, 1, clock.instant()), workKey, new byte[40]);
      assertEquals(Optional.of(Replica.Rejection.AUTHOR_NOT_ALLOWED), b.receive(fromStranger.encode()).rejected());
    }
    byte[] otherVault = new byte[16];
    otherVault[0] = 1;
    SealedBundle elsewhere =
        SealedBundle.seal(alice, new BundleHeader(Bytes.copyOf(otherVault), work, alice.publicKey(), 1, 1, clock.instant()), workKey, new byte[40]);
    assertEquals(Optional.of(Replica.Rejection.OTHER_VAULT), b.receive(elsewhere.encode()).rejected());

    Memory secret = create("I am allergic to penicillin", "health");
    List<byte[]> all = new ArrayList<>(a.missing(alice.publicKey(), Map.of(health, dev.mnode.crdt.VersionVector.empty(), work, dev.mnode.crdt.VersionVector.empty())));
    assertEquals(1, all.size());
    assertEquals(Optional.of(Replica.Rejection.CLASS_NOT_HELD), b.receive(all.get(0)).rejected());
    assertEquals(Optional.empty(), bobStore.get(secret.id()));
    assertTrue(aliceBundles().isEmpty(), "bob does not hold health, so nothing of it is offered to him");
    assertFalse(Arrays.asList(bobKeys.currentEpoch(health).isPresent()).contains(true), "bob holds no key of health");
    assertEquals(Optional.of(Replica.Rejection.MALFORMED), b.receive(new byte[] {1, 2, 3}).rejected());
  }
}
