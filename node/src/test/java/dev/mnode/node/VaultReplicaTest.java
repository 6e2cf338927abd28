package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.node.sync.Replica;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.rocks.RocksStoreModule;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the home's commands write becomes sync: a home made by init has a vault; its remember,
 * update and forget become Automerge changes in sealed bundles once the replica ingests them, and
 * a second device that applies those bundles holds the same memories (equal digests); reopening
 * the home makes no change twice.
 */
class VaultReplicaTest {
  @TempDir Path tmp;

  private static MemoryDraft draft(String text, String c) {
    return new MemoryDraft(text, c, List.of("t"), null, null, false, Map.of(), List.of());
  }

  /** A bare second device: its own store, keys and membership log, which alice adds. */
  static final class Peer implements AutoCloseable {
    final DeviceIdentity id = DeviceIdentity.generate();
    final ClassKeyring keys = new ClassKeyring();
    final PrekeyRing prekeys;
    final MemoryStore store;
    final Replica replica;

    Peer(Path dir, Operation genesis, SecretBytes vaultSecret, List<String> classes, Clock clock) throws Exception {
      prekeys = new PrekeyRing(id, clock, PrekeyRing.DEFAULT_ROTATION);
      store = RocksStoreModule.create(dir, StorageKey.generate(), clock);
      replica = new Replica(store, id, genesis.vault(), vaultSecret, classes, keys,
          MembershipModule.startFrom(genesis, Replica.MAX_HELD_OPERATIONS), prekeys, clock);
    }

    void pull(Replica from) throws Exception {
      for (byte[] op : from.operationsFor(replica.heads())) {
        replica.receiveOperation(op);
      }
      from.learnPrekey(replica.prekey());
      replica.learnPrekey(from.prekey());
      for (byte[] env : from.envelopesFor(id.publicKey())) {
        replica.receiveEnvelope(env);
      }
      for (byte[] b : from.missing(id.publicKey(), replica.versionVectors())) {
        assertTrue(replica.receive(b).rejected().isEmpty());
      }
    }

    @Override
    public void close() {
      replica.close();
      store.close();
      prekeys.close();
      keys.close();
      id.close();
    }
  }

  @Test
  void localWritesBecomeSync_andASecondDeviceHoldsTheSameMemories() throws Exception {
    Clock clock = Clock.systemUTC();
    Home home = new Home(tmp.resolve("home"));
    String updatedId;
    String forgottenId;
    Map<String, String> digests;
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, clock)) {
      Memory a = svc.remember(draft("We chose Stripe for payments", "work"));
      Memory b = svc.remember(draft("Standup moved to 9:30", "work"));
      svc.remember(draft("Allergic to penicillin", "health"));
      updatedId = a.id().toString();
      forgottenId = b.id().toString();
      svc.update(updatedId, new MemoryPatch("We chose Stripe over Adyen for payments", null, List.of("payments"), 0.9, null, true, Map.of(), null));
      svc.forget(forgottenId);
      digests = svc.status().digests();
    }
    // A later process opens the home and its replica: the writes above become changes.
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, clock)) {
      LocalMemoryService local = (LocalMemoryService) svc;
      Replica alice = local.replica();
      assertEquals(digests.get("work"), alice.digest("work").hex());
      List<String> classes = alice.heldClasses();
      assertTrue(classes.containsAll(List.of("work", "health", "personal", "financial", "other")), classes.toString());

      Operation genesis;
      SecretBytes vaultSecret;
      // The genesis and vault secret travel with pairing; here the test reads them from alice's home.
      MemoryStore store = local.store();
      genesis = Operation.decode(alice.operationsFor(List.of()).get(0));
      vaultSecret = store.secret(DeviceSecrets.VAULT).orElseThrow();
      try (Peer bob = new Peer(tmp.resolve("bob"), genesis, vaultSecret, classes, clock)) {
        alice.addDevice(bob.id.publicKey(), "bob", List.of("work"));
        bob.pull(alice);
        assertEquals(digests.get("work"), bob.replica.digest("work").hex(), "bob holds alice's work memories");
        Memory onBob = bob.store.get(MemoryId.parse(updatedId)).orElseThrow();
        assertEquals("We chose Stripe over Adyen for payments", onBob.text());
        assertEquals(List.of("payments"), onBob.tags());
        assertTrue(onBob.pinned());
        assertFalse(bob.store.contains(MemoryId.parse(forgottenId)));
        assertEquals(0L, bob.store.counts().getOrDefault(dev.mnode.store.MemoryClass.HEALTH, 0L), "health is not bob's");

        // Writes made while the replica is open flow the same way.
        svc.remember(draft("Deploys freeze on Fridays", "work"));
        local.replica();
        bob.pull(alice);
        assertEquals(svc.status().digests().get("work"), bob.replica.digest("work").hex());
        var vv = alice.versionVectors();
        // Reopening changes nothing: every local write was ingested once.
        svc.close();
        try (MemoryService again = NodeModule.open(home, PassphraseSource.NONE, clock)) {
          Replica reopened = ((LocalMemoryService) again).replica();
          assertEquals(vv, reopened.versionVectors());
        }
      }
    }
  }
}
