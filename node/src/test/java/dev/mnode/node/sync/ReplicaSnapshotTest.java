package dev.mnode.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crdt.MemoryEdit;
import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.PrekeyRing;
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
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots: a device that joins late bootstraps from a snapshot plus the tail instead of every
 * bundle, ends with the same rows and version vector, and can bootstrap another device in turn;
 * parts arrive in any order; a memory forgotten before the snapshot stays forgotten when a
 * concurrent edit of it arrives afterwards.
 */
class ReplicaSnapshotTest {
  @TempDir Path tmp;

  final Clock clock = new ReplicaSimulationTest.Ticking();
  final Bytes vault = Bytes.copyOf(new byte[16]);
  final SecretBytes vaultSecret = SecretBytes.random(32);
  final List<Dev> all = new ArrayList<>();
  Operation genesis;

  /** One device: identity, store, keys, membership log and replica. */
  final class Dev {
    final DeviceIdentity id = DeviceIdentity.generate();
    final ClassKeyring keys = new ClassKeyring();
    final PrekeyRing prekeys = new PrekeyRing(id, clock, PrekeyRing.DEFAULT_ROTATION);
    final MemoryStore store;
    final Replica replica;

    Dev(String name) throws Exception {
      if (genesis == null) {
        genesis = Operation.genesis(id, vault, name, List.of(ClassTag.of(vaultSecret, "work")));
      }
      store = RocksStoreModule.create(tmp.resolve(name), StorageKey.generate(), clock);
      replica = new Replica(store, id, vault, vaultSecret, List.of("work"), keys, MembershipModule.startFrom(genesis, 64), prekeys, clock);
      all.add(this);
    }

    Memory create(String text) throws Exception {
      return replica.create(Memory.builder(MemoryId.generate(clock), text, clock.instant()).memoryClass(new MemoryClass("work")).build());
    }

    /** Everything but bundles from {@code from}: operations, prekeys, envelopes. */
    void meet(Dev from) throws Exception {
      for (byte[] op : from.replica.operationsFor(replica.heads())) {
        replica.receiveOperation(op);
      }
      from.replica.learnPrekey(replica.prekey());
      replica.learnPrekey(from.replica.prekey());
      for (byte[] env : from.replica.envelopesFor(id.publicKey())) {
        replica.receiveEnvelope(env);
      }
    }

    List<byte[]> lacks(Dev from) {
      return from.replica.missing(id.publicKey(), replica.versionVectors());
    }

    int receiveAll(List<byte[]> bundles) throws Exception {
      int snapshots = 0;
      for (byte[] b : bundles) {
        Replica.Outcome o = replica.receive(b);
        assertTrue(o.rejected().isEmpty(), o::toString);
        snapshots += o.detail().equals("snapshot") ? 1 : 0;
      }
      return snapshots;
    }
  }

  Dev a;

  @BeforeEach
  void setUp() throws Exception {
    a = new Dev("a");
    a.replica.wrote(genesis);
  }

  @AfterEach
  void tearDown() {
    for (Dev d : all) {
      d.replica.close();
      d.store.close();
      d.prekeys.close();
      d.keys.close();
      d.id.close();
    }
  }

  private Dev join(String name) throws Exception {
    Dev d = new Dev(name);
    a.replica.addDevice(d.id.publicKey(), name, List.of("work"));
    d.meet(a);
    a.meet(d);
    d.meet(a);
    return d;
  }

  @Test
  void aLateDevice_bootstrapsFromTheSnapshotPlusTail_andPassesItOn() throws Exception {
    Random r = new Random(7);
    List<Memory> ms = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ms.add(a.create("decision " + i + ": " + "x".repeat(r.nextInt(400))));
    }
    for (int i = 0; i < 100; i++) {
      a.replica.update(ms.get(r.nextInt(ms.size())).id(), MemoryEdit.at(clock.instant()).addTag("t" + r.nextInt(4)).build());
    }
    for (int i = 0; i < 30; i++) {
      a.replica.forget(ms.get(i).id());
    }
    List<byte[]> parts = a.replica.snapshot("work");
    for (int i = 0; i < 10; i++) {
      a.create("after the snapshot " + i);
    }
    Dev b = join("b");
    List<byte[]> sent = b.lacks(a);
    // 430 bundles before the snapshot, its parts and 10 after: far fewer travel.
    assertEquals(parts.size() + 10, sent.size());
    Collections.shuffle(sent, r);
    assertEquals(1, b.receiveAll(sent));
    assertEquals(a.replica.digest("work"), b.replica.digest("work"));
    assertEquals(a.replica.versionVectors(), b.replica.versionVectors());
    assertEquals(280, b.store.counts().get(new MemoryClass("work")));

    // b has not got the covered bundles: it passes the snapshot on.
    Dev c = join("c");
    c.meet(b);
    b.meet(c);
    List<byte[]> fromB = c.lacks(b);
    assertEquals(parts.size() + 10, fromB.size());
    assertEquals(1, c.receiveAll(fromB));
    assertEquals(a.replica.digest("work"), c.replica.digest("work"));

    // Writes after the bootstrap flow as usual, both ways.
    Memory late = c.create("written on c after bootstrapping");
    assertEquals(0, a.receiveAll(a.lacks(c)));
    assertEquals(late.text(), a.store.get(late.id()).orElseThrow().text());
    assertTrue(a.replica.rejections().isEmpty(), a.replica.rejections()::toString);
  }

  @Test
  void aSnapshotInManyParts_appliesOnlyOnceAllAreHere_inAnyOrder() throws Exception {
    Random r = new Random(11);
    for (int i = 0; i < 120; i++) {
      a.create("memory " + i + " " + "y".repeat(200));
    }
    List<byte[]> parts = a.replica.snapshot("work", 4096);
    assertTrue(parts.size() >= 5, "parts: " + parts.size());
    Dev b = join("b");
    List<byte[]> sent = new ArrayList<>(b.lacks(a));
    assertEquals(parts.size(), sent.size());
    Collections.shuffle(sent, r);
    for (byte[] p : sent.subList(0, sent.size() - 1)) {
      Replica.Outcome o = b.replica.receive(p);
      assertEquals("snapshot part held", o.detail());
      assertEquals(0, b.replica.receive(p).applied(), "a part again changes nothing");
    }
    assertEquals(0L, b.store.counts().getOrDefault(new MemoryClass("work"), 0L));
    assertEquals(1, b.receiveAll(sent.subList(sent.size() - 1, sent.size())));
    assertEquals(a.replica.digest("work"), b.replica.digest("work"));
    assertEquals(a.replica.versionVectors(), b.replica.versionVectors());
    // Receiving every part again, and every bundle the snapshot covers, changes nothing.
    for (byte[] p : parts) {
      assertEquals("duplicate", b.replica.receive(p).detail());
    }
    assertEquals(a.replica.digest("work"), b.replica.digest("work"));
  }

  @Test
  void aMemoryForgottenBeforeTheSnapshot_staysForgotten_whenAConcurrentEditArrivesLater() throws Exception {
    Dev b = join("b");
    Memory m = a.create("the door code is 4711");
    b.receiveAll(b.lacks(a));
    // b edits it while a forgets it; a has not seen the edit when it writes the snapshot.
    b.replica.update(m.id(), MemoryEdit.at(clock.instant()).text("the door code is 4712").build());
    List<byte[]> edit = a.lacks(b);
    a.replica.forget(m.id());
    for (int i = 0; i < 40; i++) {
      a.create("filler " + i + " " + "z".repeat(300));
    }
    a.replica.snapshot("work");
    Dev c = join("c");
    assertEquals(1, c.receiveAll(c.lacks(a)));
    assertEquals(Optional.empty(), c.store.get(m.id()));
    // The concurrent edit reaches a and c last: forget wins on both, and they agree.
    a.receiveAll(edit);
    c.receiveAll(edit);
    assertEquals(Optional.empty(), a.store.get(m.id()));
    assertEquals(Optional.empty(), c.store.get(m.id()));
    assertEquals(a.replica.digest("work"), c.replica.digest("work"));
    assertTrue(c.replica.heldChanges().isEmpty(), "nothing left waiting for the forgotten memory's history");
    b.receiveAll(b.lacks(a));
    assertEquals(a.replica.digest("work"), b.replica.digest("work"));
    assertNotEquals(0, a.store.counts().get(new MemoryClass("work")));
  }

  /** How many of {@code bundles} open with {@code keys}, and whether any opened body holds {@code text}. */
  private static int[] opening(List<byte[]> bundles, ClassKeyring keys, String text) {
    int opened = 0;
    int holding = 0;
    for (byte[] b : bundles) {
      try {
        byte[] body = dev.mnode.crypto.SealedBundle.decode(b).open(keys);
        opened++;
        if (dev.mnode.node.StolenKeys.contains(body, text)) {
          holding++;
        }
      } catch (dev.mnode.crypto.BundleException closed) {
        // does not open with these keys
      }
    }
    return new int[] {opened, holding};
  }

  @Test
  void compactingAfterAForget_leavesNoKeptKeyOrPrekeyThatOpensWhatWasCopiedBefore() throws Exception {
    Dev b = join("b");
    String secret = "the safe combination is 31-07-12";
    Memory gone = a.create(secret);
    for (int i = 0; i < 40; i++) {
      a.create("kept " + i);
    }
    b.create("written on b");
    // Everything that ever travelled, as a recording adversary keeps it.
    List<byte[]> recorded = new ArrayList<>(b.lacks(a));
    recorded.addAll(a.lacks(b));
    List<byte[]> envelopes = new ArrayList<>(a.replica.envelopesFor(b.id.publicKey()));
    envelopes.addAll(b.replica.envelopesFor(a.id.publicKey()));
    b.receiveAll(b.lacks(a));
    a.receiveAll(a.lacks(b));
    // Control: with the keys the devices hold now, the recording reveals the secret.
    int[] before = opening(recorded, b.keys, secret);
    assertTrue(before[0] == recorded.size() && before[1] > 0, "before: " + java.util.Arrays.toString(before));

    a.replica.forget(gone.id());
    List<Replica.Compacted> done = a.replica.compactForgotten();
    assertEquals(1, done.size());
    assertEquals(2, done.get(0).epoch());
    assertEquals(1, done.get(0).retiredKeys());
    assertTrue(done.get(0).droppedBundles() >= 42, done::toString);
    assertEquals(List.of(), a.replica.compactForgotten(), "nothing forgotten since: nothing to do");
    int prekeysBefore = b.replica.prekeyRing().current().id();
    b.meet(a);
    assertEquals(1, b.receiveAll(b.lacks(a)));
    a.meet(b);

    assertEquals(a.replica.digest("work"), b.replica.digest("work"));
    assertEquals(Optional.empty(), b.store.get(gone.id()));
    assertEquals(41L, b.store.counts().get(new MemoryClass("work")));
    List<byte[]> toB = a.replica.envelopesFor(b.id.publicKey());
    assertTrue(!toB.isEmpty());
    for (byte[] env : toB) {
      assertEquals(b.replica.prekeyRing().current().id(), dev.mnode.crypto.KeyEnvelope.decode(env).prekeyId(),
          "a keeps only envelopes sealed to b's current prekey");
    }
    for (Dev d : List.of(a, b)) {
      int[] after = opening(recorded, d.keys, secret);
      assertEquals(0, after[0], "no recorded bundle opens with the keys kept now");
      for (byte[] env : envelopes) {
        org.junit.jupiter.api.Assertions.assertThrows(dev.mnode.crypto.CryptoException.class,
            () -> dev.mnode.crypto.KeyEnvelope.decode(env).open(d.prekeys), "no recorded envelope opens");
      }
      assertEquals(1, d.replica.prekeyRing().retained().size(), "every older prekey is erased");
      List<byte[]> kept = new ArrayList<>();
      d.store.syncScan(dev.mnode.store.SyncFamily.BUNDLES, new byte[0], (k, v) -> kept.add(v));
      assertEquals(0, opening(kept, d.keys, secret)[1]);
      for (byte[] k : kept) {
        assertEquals(2, dev.mnode.crypto.SealedBundle.decode(k).header().epoch(), "only bundles of the new epoch are kept");
      }
      List<byte[]> keyRows = new ArrayList<>();
      d.store.syncScan(dev.mnode.store.SyncFamily.STATE, "key/".getBytes(java.nio.charset.StandardCharsets.US_ASCII), (k, v) -> keyRows.add(k));
      assertEquals(1, keyRows.size(), "one epoch key is kept in the store");
      assertTrue(d.replica.compactions() > 0);
    }
    assertNotEquals(prekeysBefore, b.replica.prekeyRing().current().id());

    // Writes go on under the new epoch, and a device that joins later bootstraps from the snapshot.
    Memory late = b.create("after the compaction");
    a.receiveAll(a.lacks(b));
    assertEquals(late.text(), a.store.get(late.id()).orElseThrow().text());
    Dev c = join("c");
    c.meet(a);
    a.meet(c);
    assertEquals(1, c.receiveAll(c.lacks(a)));
    assertEquals(a.replica.digest("work"), c.replica.digest("work"));
    // What the recording holds is covered: offered again, it is ignored, not refused.
    for (byte[] old : recorded) {
      assertEquals("covered", c.replica.receive(old).detail());
    }
    assertTrue(c.replica.rejections().isEmpty(), c.replica.rejections()::toString);
  }

  @Test
  void aWriteConcurrentWithACompaction_reachesEveryDevice_andTheOldKeyStillGoesEverywhere() throws Exception {
    Dev b = join("b");
    Memory gone = a.create("the alarm code is 9182");
    for (int i = 0; i < 10; i++) {
      a.create("kept " + i);
    }
    b.receiveAll(b.lacks(a));
    // b writes under epoch 1 while a, not knowing, forgets and compacts.
    Memory concurrent = b.create("written on b during the compaction");
    List<byte[]> fromB = a.lacks(b);
    a.replica.forget(gone.id());
    assertEquals(1, a.replica.compactForgotten().size());
    assertTrue(a.keys.key(dev.mnode.crypto.ClassTag.of(vaultSecret, "work"), 1).isEmpty(), "a erased epoch 1");
    // b's epoch-1 bundle cannot be opened by a any more; it waits as refused.
    for (byte[] x : fromB) {
      assertTrue(a.replica.receive(x).rejected().isPresent());
    }
    b.meet(a);
    b.receiveAll(b.lacks(a));
    // b applied a's snapshot, still kept its own epoch-1 write, and covered it with a snapshot of its own.
    a.meet(b);
    a.receiveAll(a.lacks(b));
    assertEquals(a.replica.digest("work"), b.replica.digest("work"));
    assertEquals(concurrent.text(), a.store.get(concurrent.id()).orElseThrow().text());
    assertEquals(Optional.empty(), b.store.get(gone.id()));
    for (Dev d : List.of(a, b)) {
      assertTrue(d.keys.key(dev.mnode.crypto.ClassTag.of(vaultSecret, "work"), 1).isEmpty(), "epoch 1 erased on every device");
      List<byte[]> kept = new ArrayList<>();
      d.store.syncScan(dev.mnode.store.SyncFamily.BUNDLES, new byte[0], (k, v) -> kept.add(v));
      for (byte[] k : kept) {
        assertEquals(2, dev.mnode.crypto.SealedBundle.decode(k).header().epoch(), "only new-epoch bundles are kept");
      }
    }
    // A key of the erased epoch offered again (a device still holding it) is not taken back.
    b.meet(a);
    assertTrue(b.keys.key(dev.mnode.crypto.ClassTag.of(vaultSecret, "work"), 1).isEmpty());
  }
}
