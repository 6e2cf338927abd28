package dev.mnode.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crdt.MemoryEdit;
import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.PrekeyRing;
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
 * A replica reopened from its store is the replica it was: the same rows, version vectors,
 * membership and keys; it serves its peers what they lack; local changes that waited for a key
 * still wait, and are sealed once the key comes.
 */
class ReplicaRestartTest {
  @TempDir Path tmp;

  final Clock clock = new ReplicaSimulationTest.Ticking();
  final Random random = new Random(3);
  final SecretBytes vaultSecret = SecretBytes.random(32);
  final List<ReplicaSimulationTest.Device> devices = new ArrayList<>();
  ReplicaSimulationTest.Device alice;
  ReplicaSimulationTest.Device bob;

  void setUp() throws Exception {
    Bytes vault = Bytes.copyOf(new byte[16]);
    for (String name : List.of("alice", "bob")) {
      devices.add(new ReplicaSimulationTest.Device(name, random));
    }
    alice = devices.get(0);
    bob = devices.get(1);
    Operation genesis = Operation.genesis(alice.identity, vault, "alice",
        List.of(ClassTag.of(vaultSecret, "work"), ClassTag.of(vaultSecret, "health")));
    for (ReplicaSimulationTest.Device d : devices) {
      d.log = MembershipModule.startFrom(genesis, 1024);
      d.prekeys = new PrekeyRing(d.identity, clock, PrekeyRing.DEFAULT_ROTATION);
      d.dir = tmp.resolve(d.name);
      d.store = RocksStoreModule.create(d.dir, StorageKey.of(d.master.material()), clock);
      d.replica = new Replica(d.store, d.identity, vault, vaultSecret, ReplicaSimulationTest.CLASSES, d.keys, d.log, d.prekeys, clock);
    }
    alice.replica.wrote(genesis);
  }

  @AfterEach
  void tearDown() {
    for (ReplicaSimulationTest.Device d : devices) {
      if (d.replica != null) {
        d.replica.close();
        d.store.close();
        d.prekeys.close();
        d.keys.close();
      }
    }
  }

  void sync() throws Exception {
    for (int round = 0; round < 3; round++) {
      ReplicaSimulationTest.exchange(alice, bob, random, false);
      ReplicaSimulationTest.exchange(bob, alice, random, false);
    }
  }

  Memory write(ReplicaSimulationTest.Device d, String text, String c) throws Exception {
    return d.replica.create(Memory.builder(MemoryId.generate(clock), text, clock.instant()).memoryClass(new MemoryClass(c)).build());
  }

  @Test
  void aReopenedReplica_isTheReplicaItWas_andServesItsPeers() throws Exception {
    setUp();
    alice.replica.addDevice(bob.identity.publicKey(), "bob", List.of("work"));
    sync();
    List<Memory> ms = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ms.add(write(i % 2 == 0 ? alice : bob, "note " + i, "work"));
    }
    write(alice, "private to alice", "health");
    sync();
    alice.replica.update(ms.get(3).id(), MemoryEdit.at(clock.instant()).addTag("kept").build());
    bob.replica.forget(ms.get(4).id());
    alice.replica.snapshot("work");
    var vvBefore = alice.replica.versionVectors();
    var headsBefore = alice.replica.heads();
    var workBefore = alice.replica.digest("work");
    var healthBefore = alice.replica.digest("health");

    ReplicaSimulationTest.restart(alice, vaultSecret, clock);
    assertEquals(vvBefore, alice.replica.versionVectors());
    assertEquals(headsBefore, alice.replica.heads());
    assertEquals(workBefore, alice.replica.digest("work"));
    assertEquals(healthBefore, alice.replica.digest("health"));
    assertTrue(alice.replica.rejections().isEmpty(), alice.replica.rejections()::toString);

    // It keeps working: its edits of memories written before the restart apply on bob.
    alice.replica.update(ms.get(5).id(), MemoryEdit.at(clock.instant()).text("edited after the restart").build());
    sync();
    assertEquals("edited after the restart", bob.store.get(ms.get(5).id()).orElseThrow().text());
    assertFalse(bob.store.get(ms.get(4).id()).isPresent());
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
    assertEquals(alice.replica.versionVectors().get(ClassTag.of(vaultSecret, "work")),
        bob.replica.versionVectors().get(ClassTag.of(vaultSecret, "work")));

    // A third device added after the restart gets the class's keys and every memory from alice.
    ReplicaSimulationTest.restart(bob, vaultSecret, clock);
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
    assertTrue(bob.replica.keyring().currentEpoch(ClassTag.of(vaultSecret, "health")).isEmpty(), "bob never holds a health key");
  }

  @Test
  void afterACompaction_bothReopenAsTheyWere_withOnlyTheNewEpoch_andStillSync() throws Exception {
    setUp();
    alice.replica.addDevice(bob.identity.publicKey(), "bob", List.of("work"));
    sync();
    List<Memory> ms = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ms.add(write(i % 3 == 0 ? bob : alice, "note " + i, "work"));
    }
    sync();
    bob.replica.forget(ms.get(0).id());
    sync();
    assertEquals(1, alice.replica.compactForgotten().size());
    sync();
    ClassTag work = ClassTag.of(vaultSecret, "work");
    var digest = alice.replica.digest("work");
    var vv = alice.replica.versionVectors();
    assertEquals(digest, bob.replica.digest("work"));
    for (ReplicaSimulationTest.Device d : List.of(alice, bob)) {
      ReplicaSimulationTest.restart(d, vaultSecret, clock);
      assertEquals(digest, d.replica.digest("work"));
      assertEquals(vv.get(work), d.replica.versionVectors().get(work));
      assertTrue(d.replica.keyring().key(work, 1).isEmpty(), d.name + " erased epoch 1 for good");
      assertTrue(d.replica.keyring().key(work, 2).isPresent());
      assertTrue(d.replica.rejections().isEmpty(), d.replica.rejections()::toString);
    }
    Memory after = write(bob, "after the restart", "work");
    alice.replica.update(ms.get(1).id(), MemoryEdit.at(clock.instant()).text("edited after the compaction").build());
    sync();
    assertEquals(after.text(), alice.store.get(after.id()).orElseThrow().text());
    assertEquals("edited after the compaction", bob.store.get(ms.get(1).id()).orElseThrow().text());
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
  }

  @Test
  void aChangeWaitingForItsKey_survivesARestart_andIsSealedWhenTheKeyComes() throws Exception {
    setUp();
    ReplicaSimulationTest.Device carol = new ReplicaSimulationTest.Device("carol", random);
    alice.replica.addDevice(bob.identity.publicKey(), "bob", List.of("work"));
    alice.replica.addDevice(carol.identity.publicKey(), "carol", List.of("work"));
    sync();
    Memory before = write(bob, "bob's note before the rotation", "work");
    sync();
    // alice takes work from carol: a new epoch, whose key bob has not received yet.
    alice.replica.ungrant(carol.identity.publicKey(), List.of("work"));
    for (byte[] op : alice.replica.operationsFor(bob.replica.heads())) {
      bob.replica.receiveOperation(op);
    }
    Memory waiting = write(bob, "written while the key is on its way", "work");
    assertEquals(1, bob.replica.unsealed(), "sealed under no older key");
    ReplicaSimulationTest.restart(bob, vaultSecret, clock);
    assertEquals(1, bob.replica.unsealed(), "still waiting after the restart");
    assertEquals(waiting.text(), bob.store.get(waiting.id()).orElseThrow().text());
    sync();
    assertEquals(0, bob.replica.unsealed());
    assertEquals(waiting.text(), alice.store.get(waiting.id()).orElseThrow().text());
    assertEquals(before.text(), alice.store.get(before.id()).orElseThrow().text());
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
  }

  @Test
  void aClassTakenAndGivenBackAtOnce_whileOnlyOneDeviceCanHandBackTheKeys_losesNothing() throws Exception {
    setUp();
    alice.replica.addDevice(bob.identity.publicKey(), "bob", List.of("work"));
    sync();
    Memory before = write(bob, "bob's note before the rotation", "work");
    sync();
    alice.replica.ungrant(bob.identity.publicKey(), List.of("work"));
    alice.replica.grant(bob.identity.publicKey(), List.of("work"));
    for (byte[] op : alice.replica.operationsFor(bob.replica.heads())) {
      bob.replica.receiveOperation(op);
    }
    Memory waiting = write(bob, "written while the keys are on their way", "work");
    ReplicaSimulationTest.restart(bob, vaultSecret, clock);
    sync();
    assertEquals(0, bob.replica.unsealed());
    assertTrue(bob.store.get(before.id()).isPresent(), "bob's own earlier note came back");
    assertTrue(alice.store.get(waiting.id()).isPresent(), "what bob wrote meanwhile reached alice");
    assertEquals(alice.replica.digest("work"), bob.replica.digest("work"));
  }

  /** A clock the test moves. */
  static final class Moving extends Clock {
    java.time.Instant now = java.time.Instant.parse("2026-11-26T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void oldPrekeysAreErased_andStayErasedAcrossARestart() throws Exception {
    Moving moving = new Moving();
    ReplicaSimulationTest.Device d = new ReplicaSimulationTest.Device("dora", random);
    devices.add(d);
    Operation genesis = Operation.genesis(d.identity, Bytes.copyOf(new byte[16]), "dora", List.of(ClassTag.of(vaultSecret, "work")));
    d.log = MembershipModule.startFrom(genesis, 1024);
    d.prekeys = new PrekeyRing(d.identity, moving, PrekeyRing.DEFAULT_ROTATION);
    d.dir = tmp.resolve("dora");
    d.store = RocksStoreModule.create(d.dir, StorageKey.of(d.master.material()), moving);
    d.replica = new Replica(d.store, d.identity, genesis.vault(), vaultSecret, ReplicaSimulationTest.CLASSES, d.keys, d.log, d.prekeys, moving);
    d.replica.wrote(genesis);
    int first = d.replica.prekey().id();
    for (int week = 0; week < 3; week++) {
      moving.now = moving.now.plus(java.time.Duration.ofDays(8));
      d.replica.prekey();
    }
    List<Integer> held = d.replica.prekeyRing().retained();
    assertEquals(Replica.KEPT_PREKEYS, held.size(), held::toString);
    assertFalse(held.contains(first));
    d.replica.close();
    d.store.close();
    d.store = RocksStoreModule.open(d.dir, StorageKey.of(d.master.material()));
    d.replica = Replica.open(d.store, d.identity, vaultSecret, ReplicaSimulationTest.CLASSES, moving);
    assertEquals(held, d.replica.prekeyRing().retained(), "the erased prekeys did not come back from the store");
  }

  @Test
  void openingAStoreWithoutAReplica_failsClearly() throws Exception {
    setUp();
    ReplicaSimulationTest.Device carol = new ReplicaSimulationTest.Device("carol", random);
    try (var store = RocksStoreModule.create(tmp.resolve("carol"), StorageKey.generate(), clock)) {
      SyncException e = assertThrows(SyncException.class,
          () -> Replica.open(store, carol.identity, vaultSecret, ReplicaSimulationTest.CLASSES, clock));
      assertTrue(e.getMessage().contains("no vault membership"), e.getMessage());
    }
  }
}
