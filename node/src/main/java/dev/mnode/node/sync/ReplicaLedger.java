package dev.mnode.node.sync;

import dev.mnode.crdt.MalformedException;
import dev.mnode.crdt.VersionVector;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crdt.membership.OperationId;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.StoreException;
import dev.mnode.store.SyncFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Replica} keeps on disk, in the store's sync families, so that a device that stops
 * (or is killed) resumes where it was. Writes gather in one {@link StoreBatch} with the memory rows
 * they go with and land together at {@link #commit()}: a bundle is never kept without the rows it
 * produced, nor a row without its bundle.
 *
 * <p>The replica is rebuilt at open by replaying: membership operations, then keys, then every
 * kept bundle of each class (documents and author logs are not stored; they are a function of the
 * bundles), then local changes still waiting for a key.
 *
 * <pre>
 * oplog:     operation id (32)                        -> encoded operation
 * bundles:   class tag (16) | author (32) | seq u64  -> sealed bundle
 * syncstate: "genesis"                                -> genesis operation id
 *            "key/"  tag | epoch u32                  -> epoch key
 *            "cand/" tag | epoch u32 | op (32) | sender (32) -> candidate key of a rotation
 *            "mine/" tag | epoch u32 | op (32)        -> candidate key this device chose
 *            "skip/" tag                              -> version vector a snapshot covered
 *            "wait/" tag | n u64                      -> local change waiting for the epoch's key
 *            "peer/" device (32)                      -> its signed prekey
 *            "env/"  device (32) | n u64              -> key envelope sealed to it
 *            "owed/" n u64                            -> device (32) | tag | epoch u32 | slip
 *            "sent/" text                             -> (empty) a key given to a device
 *            "floor/" tag                             -> u32: epochs below it were erased here, for good
 *            "compactions"                            -> u64: how often kept bundles or keys were dropped
 *            "erase-prekeys"                          -> (empty) old prekeys go once the newest keys are here
 * </pre>
 *
 * Every value is sealed by the store. This device's prekey ring is a store secret instead
 * ({@value #PREKEYS}), so that erasing old prekeys compacts them out of the files. Confined to its
 * replica's lock.
 */
final class ReplicaLedger {
  private final MemoryStore store;
  private StoreBatch batch = new StoreBatch();
  private int rows;

  ReplicaLedger(MemoryStore store) {
    this.store = store;
  }

  // ---- writes ----

  void row(Memory m) {
    batch.put(m);
    rows++;
  }

  void deleteRow(MemoryId id) {
    batch.delete(id);
    rows++;
  }

  /** Rows waiting in the batch. */
  int rows() {
    return rows;
  }

  void op(Operation op) {
    batch.putSync(SyncFamily.OPS, op.id().bytes().toByteArray(), op.encode());
  }

  void genesis(Operation op) {
    op(op);
    batch.putSync(SyncFamily.STATE, ascii("genesis"), op.id().bytes().toByteArray());
  }

  void bundle(ClassTag tag, String author, long seq, byte[] sealed) {
    batch.putSync(SyncFamily.BUNDLES, bundleKey(tag, author, seq), sealed);
  }

  /** Name of the store secret holding this device's prekey ring. */
  static final String PREKEYS = "sync-prekeys";

  /**
   * Keeps this device's prekey ring as a store secret, at once. After {@code erased}, the old
   * secret is deleted first, which compacts the key family so the erased private keys leave the
   * store's files.
   */
  void prekeys(SecretBytes export, boolean erased) throws StoreException {
    if (erased) {
      store.deleteSecret(PREKEYS);
    }
    store.putSecret(PREKEYS, export);
  }

  void key(ClassTag tag, int epoch, SecretBytes key) {
    putSecret(join(ascii("key/"), tag.tag().toByteArray(), u32(epoch)), key);
  }

  void candidate(ClassTag tag, int epoch, Bytes op, IdentityKey sender, SecretBytes key) {
    putSecret(join(ascii("cand/"), tag.tag().toByteArray(), u32(epoch), op.toByteArray(), sender.key().toByteArray()), key);
  }

  void mine(ClassTag tag, int epoch, Bytes op, SecretBytes key) {
    putSecret(join(ascii("mine/"), tag.tag().toByteArray(), u32(epoch), op.toByteArray()), key);
  }

  void skip(ClassTag tag, VersionVector covered) {
    batch.putSync(SyncFamily.STATE, join(ascii("skip/"), tag.tag().toByteArray()), covered.encode());
  }

  void waiting(ClassTag tag, long n, byte[] body) {
    batch.putSync(SyncFamily.STATE, join(ascii("wait/"), tag.tag().toByteArray(), u64(n)), body);
  }

  void peerPrekey(IdentityKey device, byte[] encoded) {
    batch.putSync(SyncFamily.STATE, join(ascii("peer/"), device.key().toByteArray()), encoded);
  }

  void envelope(IdentityKey to, long n, byte[] encoded) {
    batch.putSync(SyncFamily.STATE, join(ascii("env/"), to.key().toByteArray(), u64(n)), encoded);
  }

  void owed(long n, IdentityKey to, ClassTag tag, int epoch, byte[] slip) {
    batch.putSync(SyncFamily.STATE, join(ascii("owed/"), u64(n)),
        join(to.key().toByteArray(), tag.tag().toByteArray(), u32(epoch), slip));
  }

  void paid(long n) {
    batch.deleteSync(SyncFamily.STATE, join(ascii("owed/"), u64(n)));
  }

  void sent(String what) {
    batch.putSync(SyncFamily.STATE, join(ascii("sent/"), what.getBytes(StandardCharsets.UTF_8)), new byte[0]);
  }

  /** The store change up to which local rows were made into changes, if a replica ever ingested. */
  java.util.OptionalLong ingested() throws StoreException {
    Optional<byte[]> v = store.syncGet(SyncFamily.STATE, ascii("ingested"));
    return v.isPresent() && v.get().length == 8
        ? java.util.OptionalLong.of(ByteBuffer.wrap(v.get()).getLong())
        : java.util.OptionalLong.empty();
  }

  /** Records that store changes up to {@code seq} were made into changes; written at once. */
  void ingested(long seq) throws StoreException {
    batch.putSync(SyncFamily.STATE, ascii("ingested"), u64(seq));
    commit();
  }

  void unsent(String what) {
    batch.deleteSync(SyncFamily.STATE, join(ascii("sent/"), what.getBytes(StandardCharsets.UTF_8)));
  }

  /** Deletes every value of {@code family} under {@code prefix}, as the store has it now. */
  void deleteAll(SyncFamily family, byte[] prefix) throws StoreException {
    commit();
    List<byte[]> keys = new ArrayList<>();
    store.syncScan(family, prefix, (k, v) -> keys.add(k));
    for (byte[] k : keys) {
      batch.deleteSync(family, k);
    }
  }

  void deleteBundle(ClassTag tag, String author, long seq) {
    batch.deleteSync(SyncFamily.BUNDLES, bundleKey(tag, author, seq));
  }

  /** Deletes the epoch keys, candidates and own candidates of {@code tag} for epochs below {@code epoch}. */
  void retireKeys(ClassTag tag, int epoch) throws StoreException {
    byte[] t = tag.tag().toByteArray();
    for (String p : List.of("key/", "cand/", "mine/")) {
      commit();
      byte[] prefix = join(ascii(p), t);
      List<byte[]> keys = new ArrayList<>();
      store.syncScan(SyncFamily.STATE, prefix, (k, v) -> {
        if (ByteBuffer.wrap(k, prefix.length, 4).getInt() < epoch) {
          keys.add(k);
        }
        return true;
      });
      keys.forEach(k -> batch.deleteSync(SyncFamily.STATE, k));
    }
  }

  /** Replaces every key envelope kept for {@code to} with {@code kept}, numbered from 1. */
  void envelopes(IdentityKey to, List<byte[]> kept) throws StoreException {
    deleteAll(SyncFamily.STATE, join(ascii("env/"), to.key().toByteArray()));
    for (int i = 0; i < kept.size(); i++) {
      envelope(to, i + 1, kept.get(i));
    }
  }

  void floor(ClassTag tag, int epoch) {
    batch.putSync(SyncFamily.STATE, join(ascii("floor/"), tag.tag().toByteArray()), u32(epoch));
  }

  void compactions(long n) {
    batch.putSync(SyncFamily.STATE, ascii("compactions"), u64(n));
  }

  long compactions() throws StoreException {
    Optional<byte[]> v = store.syncGet(SyncFamily.STATE, ascii("compactions"));
    return v.isPresent() && v.get().length == 8 ? ByteBuffer.wrap(v.get()).getLong() : 0;
  }

  void prekeyErasureDue(boolean due) {
    if (due) {
      batch.putSync(SyncFamily.STATE, ascii("erase-prekeys"), new byte[0]);
    } else {
      batch.deleteSync(SyncFamily.STATE, ascii("erase-prekeys"));
    }
  }

  boolean prekeyErasureDue() throws StoreException {
    return store.syncGet(SyncFamily.STATE, ascii("erase-prekeys")).isPresent();
  }

  /** Forgets every bundle of {@code tag} but those of {@code keep}. */
  void dropBundles(ClassTag tag, String keep) throws StoreException {
    commit();
    byte[] own = HexFormat.of().parseHex(keep);
    List<byte[]> keys = new ArrayList<>();
    store.syncScan(SyncFamily.BUNDLES, tag.tag().toByteArray(), (k, v) -> {
      if (!Arrays.equals(k, 16, 48, own, 0, 32)) {
        keys.add(k);
      }
      return true;
    });
    keys.forEach(k -> batch.deleteSync(SyncFamily.BUNDLES, k));
  }

  /** Forgets a class's keys, candidates, skip floor and waiting changes. */
  void dropClass(ClassTag tag) throws StoreException {
    byte[] t = tag.tag().toByteArray();
    for (String p : List.of("key/", "cand/", "skip/", "wait/")) {
      deleteAll(SyncFamily.STATE, join(ascii(p), t));
    }
  }

  void dropWaiting(ClassTag tag) throws StoreException {
    deleteAll(SyncFamily.STATE, join(ascii("wait/"), tag.tag().toByteArray()));
  }

  /** Writes what gathered since the last commit, atomically and durably. */
  void commit() throws StoreException {
    if (batch.isEmpty()) {
      return;
    }
    StoreBatch b = batch;
    batch = new StoreBatch();
    rows = 0;
    store.write(b);
  }

  // ---- reads, for the replay at open ----

  Optional<OperationId> genesisId() throws StoreException {
    return store.syncGet(SyncFamily.STATE, ascii("genesis")).map(b -> new OperationId(Bytes.copyOf(b)));
  }

  Optional<byte[]> op(OperationId id) throws StoreException {
    return store.syncGet(SyncFamily.OPS, id.bytes().toByteArray());
  }

  List<byte[]> ops() throws StoreException {
    List<byte[]> out = new ArrayList<>();
    store.syncScan(SyncFamily.OPS, new byte[0], (k, v) -> out.add(v));
    return out;
  }

  Optional<SecretBytes> prekeys() throws StoreException {
    return store.secret(PREKEYS);
  }

  /** Entries under a syncstate prefix: the key's bytes after the prefix, and the value. */
  record Entry(ByteBuffer key, byte[] value) {}

  List<Entry> state(String prefix) throws StoreException {
    return state(ascii(prefix));
  }

  /** As {@link #state(String)}, for the entries of one class: the key's bytes after the tag. */
  List<Entry> state(String prefix, ClassTag tag) throws StoreException {
    return state(join(ascii(prefix), tag.tag().toByteArray()));
  }

  private List<Entry> state(byte[] p) throws StoreException {
    List<Entry> out = new ArrayList<>();
    store.syncScan(SyncFamily.STATE, p, (k, v) -> out.add(new Entry(ByteBuffer.wrap(k, p.length, k.length - p.length).slice(), v)));
    return out;
  }

  /** Every kept bundle of {@code tag}, by author then seq. */
  List<byte[]> bundles(ClassTag tag) throws StoreException {
    List<byte[]> out = new ArrayList<>();
    store.syncScan(SyncFamily.BUNDLES, tag.tag().toByteArray(), (k, v) -> out.add(v));
    return out;
  }

  Optional<VersionVector> skip(ClassTag tag) throws StoreException {
    Optional<byte[]> v = store.syncGet(SyncFamily.STATE, join(ascii("skip/"), tag.tag().toByteArray()));
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(VersionVector.decode(v.get()));
    } catch (MalformedException e) {
      throw new StoreException("the kept snapshot floor of a class is damaged: " + e.getMessage(), e);
    }
  }

  // ---- encoding ----

  private void putSecret(byte[] key, SecretBytes secret) {
    byte[] raw = secret.copy();
    batch.putSync(SyncFamily.STATE, key, raw);
    Arrays.fill(raw, (byte) 0);
  }

  static byte[] bundleKey(ClassTag tag, String author, long seq) {
    return join(tag.tag().toByteArray(), HexFormat.of().parseHex(author), u64(seq));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] u32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  static byte[] u64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  static byte[] join(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
