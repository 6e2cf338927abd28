package dev.mnode.node;

import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.sync.Replica;
import dev.mnode.node.sync.SyncException;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * The home's replica of its vault. {@code mnode init} makes the vault's first membership
 * operation: this device, holding every class the store has then. The node opens the replica to
 * sync; local writes (rows written by commands and the API) become Automerge changes when it
 * ingests them ({@link Replica#ingest}).
 */
final class VaultReplica {
  private VaultReplica() {}

  /** Name this device gives itself in the vault until renamed. */
  static final String FIRST_DEVICE = "first device";

  /** Opens the replica of the home's store, starting the vault first for a home made before it had one. */
  static Replica open(MemoryStore store, Clock clock) throws StoreException, SyncException {
    try (SecretBytes seed = secret(store, DeviceSecrets.IDENTITY);
        SecretBytes vaultSecret = secret(store, DeviceSecrets.VAULT);
        DeviceIdentity identity = DeviceIdentity.fromSeed(seed)) {
      List<String> classes = store.classes().stream().map(MemoryClass::name).toList();
      if (!Replica.hasVault(store)) {
        start(store, identity, vaultSecret, classes, clock);
      }
      return Replica.open(store, identity, vaultSecret, classes, clock);
    }
  }

  /** Makes the vault's first operation and keeps it in the store. */
  static void start(MemoryStore store, Clock clock) throws StoreException {
    try (SecretBytes seed = secret(store, DeviceSecrets.IDENTITY);
        SecretBytes vaultSecret = secret(store, DeviceSecrets.VAULT);
        DeviceIdentity identity = DeviceIdentity.fromSeed(seed)) {
      start(store, identity, vaultSecret, store.classes().stream().map(MemoryClass::name).toList(), clock);
    }
  }

  private static void start(
      MemoryStore store, DeviceIdentity identity, SecretBytes vaultSecret, List<String> classes, Clock clock)
      throws StoreException {
    Bytes vault = Bytes.copyOf(HexFormat.of().parseHex(store.info().vaultId()));
    Operation genesis =
        Operation.genesis(identity, vault, FIRST_DEVICE, classes.stream().map(c -> ClassTag.of(vaultSecret, c)).toList());
    try (dev.mnode.crypto.ClassKeyring keys = new dev.mnode.crypto.ClassKeyring();
        dev.mnode.crypto.PrekeyRing prekeys =
            new dev.mnode.crypto.PrekeyRing(identity, clock, dev.mnode.crypto.PrekeyRing.DEFAULT_ROTATION)) {
      dev.mnode.crdt.membership.MembershipLog members =
          dev.mnode.crdt.membership.MembershipModule.startFrom(genesis, Replica.MAX_HELD_OPERATIONS);
      try (Replica r = new Replica(store, identity, vault, vaultSecret, classes, keys, members, prekeys, clock)) {
        r.wrote(genesis);
      }
    } catch (dev.mnode.crdt.membership.MembershipException e) {
      throw new IllegalStateException("a fresh vault's first operation was refused: " + e.getMessage(), e);
    }
  }

  /**
   * Joins a vault another device started: keeps the vault secret and the membership operations the
   * member sent when pairing (the first is the vault's genesis), so that this device, which they
   * name a member, can sync.
   *
   * @throws SyncException if the operations do not start with a genesis of {@code vault} or the
   *     log refuses them
   */
  static void join(MemoryStore store, Clock clock, List<byte[]> operations) throws StoreException, SyncException {
    if (operations.isEmpty()) {
      throw new SyncException("the member sent no membership operations");
    }
    try (SecretBytes seed = secret(store, DeviceSecrets.IDENTITY);
        SecretBytes vaultSecret = secret(store, DeviceSecrets.VAULT);
        DeviceIdentity identity = DeviceIdentity.fromSeed(seed);
        dev.mnode.crypto.ClassKeyring keys = new dev.mnode.crypto.ClassKeyring();
        dev.mnode.crypto.PrekeyRing prekeys =
            new dev.mnode.crypto.PrekeyRing(identity, clock, dev.mnode.crypto.PrekeyRing.DEFAULT_ROTATION)) {
      Operation genesis = Operation.decode(operations.get(0));
      Bytes vault = Bytes.copyOf(HexFormat.of().parseHex(store.info().vaultId()));
      if (!genesis.vault().equals(vault)) {
        throw new SyncException("the membership operations belong to another vault");
      }
      List<String> classes = store.classes().stream().map(MemoryClass::name).toList();
      dev.mnode.crdt.membership.MembershipLog members =
          dev.mnode.crdt.membership.MembershipModule.startFrom(genesis, Replica.MAX_HELD_OPERATIONS);
      try (Replica r = new Replica(store, identity, vault, vaultSecret, classes, keys, members, prekeys, clock)) {
        for (byte[] op : operations.subList(1, operations.size())) {
          r.receiveOperation(op);
        }
        if (!r.admits(identity.publicKey())) {
          throw new SyncException("the membership operations do not make this device a member");
        }
      }
    } catch (dev.mnode.crdt.MalformedException | dev.mnode.crdt.membership.MembershipException e) {
      throw new SyncException("the vault's first operation is not valid: " + e.getMessage(), e);
    }
  }

  private static SecretBytes secret(MemoryStore store, String name) throws StoreException {
    return store.secret(name).orElseThrow(() -> new StoreException("the device secret " + name + " is missing"));
  }
}
