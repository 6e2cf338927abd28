package dev.mnode.node.sync;

import dev.mnode.crdt.ActorId;
import dev.mnode.crdt.AuthorLog;
import dev.mnode.crdt.ByteString;
import dev.mnode.crdt.Changes;
import dev.mnode.crdt.CrdtException;
import dev.mnode.crdt.CrdtModule;
import dev.mnode.crdt.Digest;
import dev.mnode.crdt.EquivocationException;
import dev.mnode.crdt.LogEntry;
import dev.mnode.crdt.MemoryDoc;
import dev.mnode.crdt.MemoryEdit;
import dev.mnode.crdt.MemoryState;
import dev.mnode.crdt.OfferResult;
import dev.mnode.crdt.PendingLimitException;
import dev.mnode.crdt.VersionVector;
import dev.mnode.crypto.BundleException;
import dev.mnode.crypto.BundleHeader;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crdt.membership.MembershipException;
import dev.mnode.crdt.membership.MembershipLog;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crdt.membership.OperationId;
import dev.mnode.crdt.membership.ReceiveResult;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.EpochKeys;
import dev.mnode.crypto.KeyEnvelope;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SignedPrekey;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SealedBundle;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One device's replica of a vault's memories, for the classes it holds keys of. A local write
 * becomes an Automerge change of the memory's own document, sealed into a bundle in the class's
 * log of this author (contiguous seq), and the memory row the indexes read. A received bundle is
 * checked (signature, vault, class held, author allowed at its epoch, AEAD), offered to the
 * author's log (held until its predecessors arrive; equivocation refused), and its changes are
 * merged into the documents, whose materialized state replaces the rows. Applying is idempotent
 * and order-independent: the rows of a class are a function of the set of bundles received.
 *
 * <p>This slice keeps documents, logs and bundles in memory; the rows are in the real store.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class Replica implements AutoCloseable {
  /** Why a bundle was refused. */
  public enum Rejection {
    MALFORMED,
    BAD_SIGNATURE,
    OTHER_VAULT,
    CLASS_NOT_HELD,
    AUTHOR_NOT_ALLOWED,
    NO_KEY,
    DOES_NOT_OPEN,
    EQUIVOCATION,
    TOO_MANY_PENDING,
    BAD_CHANGES
  }

  /** What receiving one bundle did. */
  public record Outcome(Optional<Rejection> rejected, String detail, int applied) {
    static Outcome rejected(Rejection r, String detail) {
      return new Outcome(Optional.of(r), detail, 0);
    }
  }

  private static final class ClassState {
    final String name;
    final ClassTag tag;
    final AuthorLog log = CrdtModule.inMemoryAuthorLog(CrdtModule.DEFAULT_MAX_PENDING_PER_AUTHOR);
    /** Every sealed bundle received or written, by author and seq, to pass on to peers. */
    final Map<String, TreeMap<Long, byte[]>> bundles = new HashMap<>();
    /** Local changes waiting for the key of the class's current epoch: memory id and changes. */
    final List<Map.Entry<MemoryId, Changes>> unsealed = new ArrayList<>();
    long ownSeq;
    /** After the class was taken and given back: its own earlier bundles must be applied again. */
    boolean replayOwn;
    /** Memories forgotten for good whose documents a snapshot dropped: later changes to them are ignored. */
    final java.util.Set<String> tombstones = new java.util.HashSet<>();
    /** Parts of snapshots waiting for the rest, by "author/first seq", then part index. */
    final Map<String, TreeMap<Integer, Part>> parts = new HashMap<>();
    /** The snapshot covering the most, applied or written here: to bootstrap peers that lack what it covers. */
    @Nullable Snapshot latest;
    /** What the applied snapshots covered together: the author logs start after it. */
    VersionVector skipped = VersionVector.empty();
    /** Number of the last local change kept in the store while it waits for its key. */
    long waitingSeq;
    /** Whether local changes of this class wait in the store. */
    boolean waitingStored;
    /** Whether a snapshot was applied by the current call: {@link #resnapshotIfDue} looks at it. */
    boolean resnapshot;
    /** The epoch each kept bundle of another author was sealed at, by author and seq. */
    final Map<String, TreeMap<Long, Integer>> epochs = new HashMap<>();

    ClassState(String name, ClassTag tag) {
      this.name = name;
      this.tag = tag;
    }
  }

  /** A received snapshot part: its sealed bundle, opened body and decoded form. */
  private record Part(byte[] sealed, byte[] body, SnapshotPart part, int epoch) {}

  /** A complete snapshot: its author, first seq, what it covers and its parts' sealed bundles in order. */
  private record Snapshot(String author, long first, VersionVector covers, List<byte[]> sealed) {
    long covered() {
      return covers.asMap().values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Why an opened bundle's body was not applied. */
  private record Refusal(Rejection why, String detail) {}

  /** First byte of a bundle body holding one memory's changes. */
  static final byte CHANGES = 0;
  /** Snapshots of different authors' or starts being collected per class at once. */
  static final int MAX_COLLECTED_SNAPSHOTS = 4;

  private final MemoryStore store;
  private final DeviceIdentity identity;
  private final String author;
  private final ActorId actor;
  private final Bytes vault;
  private final ClassKeyring keys;
  private final MembershipLog members;
  private final PrekeyRing prekeys;
  private final Clock clock;
  /** Peers' current signed prekeys, to seal key envelopes to. */
  private final Map<IdentityKey, SignedPrekey> peerPrekeys = new HashMap<>();
  /**
   * Candidate keys of rotations, by class, epoch, operation and sender: only the one its
   * operation's author sent counts, so another member cannot slip in a key of its own.
   */
  private final Map<ClassTag, Map<Integer, Map<Bytes, Map<IdentityKey, SecretBytes>>>> candidates = new HashMap<>();
  /** Key envelopes this device sealed, by recipient, kept to hand over when that peer syncs. */
  private final Map<IdentityKey, List<byte[]>> envelopes = new HashMap<>();
  private final Map<String, ClassState> byName = new HashMap<>();
  private final Map<ClassTag, ClassState> byTag = new HashMap<>();
  private final Map<String, MemoryDoc> docs = new HashMap<>();
  /** The class whose log carried each document's changes. */
  private final Map<String, String> docClass = new HashMap<>();
  private final Map<Rejection, Long> rejections = new EnumMap<>(Rejection.class);
  /** Where this replica keeps its state in the store. */
  private final ReplicaLedger ledger;
  /** Whether this replica made (and closes) its keyring, membership log and prekey ring. */
  private final boolean owns;
  /** While rebuilding from the store at open: rows are right already and nothing is written. */
  private boolean replaying;
  /** The prekey ids last written to the store, to write the ring again when it changes. */
  private List<Integer> savedPrekeys = List.of();
  /** Number of the last key owed to a peer, as kept in the store. */
  private long owedSeq;

  /**
   * A replica over {@code store} of the classes {@code classes} may name (name to tag), of which it
   * holds those the membership log grants this device. It takes ownership of none of its arguments.
   */
  public Replica(
      MemoryStore store,
      DeviceIdentity identity,
      Bytes vault,
      SecretBytes vaultSecret,
      List<String> classes,
      ClassKeyring keys,
      MembershipLog members,
      PrekeyRing prekeys,
      Clock clock)
      throws StoreException {
    this(store, identity, vault, vaultSecret, classes, keys, members, prekeys, clock, new ReplicaLedger(store), false);
    if (ledger.genesisId().isEmpty()) {
      members.get(members.genesis()).ifPresent(ledger::genesis);
      members.missingFor(List.of()).forEach(ledger::op);
      commit();
    }
  }

  private Replica(
      MemoryStore store,
      DeviceIdentity identity,
      Bytes vault,
      SecretBytes vaultSecret,
      List<String> classes,
      ClassKeyring keys,
      MembershipLog members,
      PrekeyRing prekeys,
      Clock clock,
      ReplicaLedger ledger,
      boolean owns)
      throws StoreException {
    this.ledger = ledger;
    this.owns = owns;
    this.store = store;
    this.identity = identity;
    this.author = identity.publicKey().key().hex();
    this.actor = ActorId.ofDevice(identity.publicKey().key().toByteArray());
    this.vault = vault;
    this.keys = keys;
    this.members = members;
    this.prekeys = prekeys;
    this.clock = clock;
    for (String c : classes) {
      ClassState s = new ClassState(c, ClassTag.of(vaultSecret, c));
      byName.put(c, s);
      byTag.put(s.tag, s);
    }
    for (ClassState c : byName.values()) {
      if (holds(c)) {
        store.addClass(new MemoryClass(c.name));
      }
    }
  }

  /** Prekeys whose private keys are kept: the current one and the one before it. */
  static final int KEPT_PREKEYS = 2;

  /** Membership operations held at most while their parents are missing. */
  public static final int MAX_HELD_OPERATIONS = 4096;

  /**
   * Opens the replica this store keeps: the membership log, keys, prekeys and the state of key
   * exchange are read back, and every kept bundle of each class is received again to rebuild the
   * documents and author logs (the rows in the store are right already and are not rewritten).
   * Local changes that were waiting for a key wait again.
   *
   * @throws SyncException if the store holds no vault membership (no replica was made on it)
   */
  public static Replica open(
      MemoryStore store, DeviceIdentity identity, SecretBytes vaultSecret, List<String> classes, Clock clock)
      throws StoreException, SyncException {
    ReplicaLedger ledger = new ReplicaLedger(store);
    OperationId genesisId = ledger.genesisId().orElseThrow(() -> new SyncException("this home has no vault membership yet"));
    Operation genesis;
    MembershipLog members;
    try {
      genesis = Operation.decode(ledger.op(genesisId).orElseThrow(() -> new SyncException("the vault's first operation is missing")));
      members = dev.mnode.crdt.membership.MembershipModule.startFrom(genesis, MAX_HELD_OPERATIONS);
    } catch (dev.mnode.crdt.MalformedException | MembershipException e) {
      throw new SyncException("the vault's first operation is damaged: " + e.getMessage(), e);
    }
    for (byte[] op : ledger.ops()) {
      members.receive(op);
    }
    ClassKeyring keys = new ClassKeyring();
    for (ReplicaLedger.Entry e : ledger.state("key/")) {
      ClassTag tag = tag(e.key());
      int epoch = e.key().getInt();
      try (SecretBytes k = SecretBytes.copyOf(e.value())) {
        keys.add(tag, epoch, k);
      }
      java.util.Arrays.fill(e.value(), (byte) 0);
    }
    PrekeyRing prekeys;
    Optional<SecretBytes> ring = ledger.prekeys();
    if (ring.isPresent()) {
      try (SecretBytes r = ring.get()) {
        prekeys = PrekeyRing.restore(identity, clock, PrekeyRing.DEFAULT_ROTATION, r);
      } catch (dev.mnode.crypto.CryptoException e) {
        keys.close();
        throw new SyncException("this device's prekeys are damaged: " + e.getMessage(), e);
      }
    } else {
      prekeys = new PrekeyRing(identity, clock, PrekeyRing.DEFAULT_ROTATION);
    }
    Replica r = new Replica(store, identity, genesis.vault(), vaultSecret, classes, keys, members, prekeys, clock, ledger, true);
    try {
      r.restore();
    } catch (StoreException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  /** Reads a class tag (16 bytes) from a kept key or value. */
  private static ClassTag tag(java.nio.ByteBuffer in) {
    return new ClassTag(Bytes.copyOf(bytes(in, 16)));
  }

  private static byte[] bytes(java.nio.ByteBuffer in, int n) {
    byte[] out = new byte[n];
    in.get(out);
    return out;
  }

  /** Reads back everything but the membership log, keys and prekeys, which {@link #open} did. */
  private synchronized void restore() throws StoreException {
    replaying = true;
    try {
      for (ReplicaLedger.Entry e : ledger.state("floor/")) {
        floors.put(tag(e.key()), java.nio.ByteBuffer.wrap(e.value()).getInt());
      }
      for (ReplicaLedger.Entry e : ledger.state("cand/")) {
        ClassTag tag = tag(e.key());
        int epoch = e.key().getInt();
        Bytes op = Bytes.copyOf(bytes(e.key(), 32));
        IdentityKey sender = IdentityKey.of(bytes(e.key(), 32));
        try (SecretBytes k = SecretBytes.copyOf(e.value())) {
          candidate(tag, epoch, op, sender, k);
        }
      }
      for (ReplicaLedger.Entry e : ledger.state("mine/")) {
        ClassTag tag = tag(e.key());
        int epoch = e.key().getInt();
        Bytes op = Bytes.copyOf(bytes(e.key(), 32));
        mine.put(new Rotation(tag, epoch, op), SecretBytes.copyOf(e.value()));
      }
      for (ReplicaLedger.Entry e : ledger.state("sent/")) {
        sent.add(new String(bytes(e.key(), e.key().remaining()), java.nio.charset.StandardCharsets.UTF_8));
      }
      for (ReplicaLedger.Entry e : ledger.state("owed/")) {
        long n = e.key().getLong();
        java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(e.value());
        IdentityKey to = IdentityKey.of(bytes(v, 32));
        ClassTag tag = tag(v);
        int epoch = v.getInt();
        owed.add(new Owed(n, to, tag, epoch, bytes(v, v.remaining())));
        owedSeq = Math.max(owedSeq, n);
      }
      for (ReplicaLedger.Entry e : ledger.state("env/")) {
        IdentityKey to = IdentityKey.of(bytes(e.key(), 32));
        envelopes.computeIfAbsent(to, x -> new ArrayList<>()).add(e.value());
      }
      for (ReplicaLedger.Entry e : ledger.state("peer/")) {
        try {
          SignedPrekey p = SignedPrekey.decode(e.value());
          peerPrekeys.put(p.owner(), p);
        } catch (dev.mnode.crypto.CryptoException bad) {
          throw new StoreException("a kept prekey of a peer is damaged: " + bad.getMessage(), bad);
        }
      }
      for (ClassState c : List.copyOf(byName.values())) {
        restoreClass(c);
      }
    } finally {
      replaying = false;
    }
    rejections.clear();
    savedPrekeys = prekeys.retained();
    compactions = ledger.compactions();
    prekeyErasureDue = ledger.prekeyErasureDue();
    membershipChanged();
    commit();
  }

  /**
   * Turns memory rows written outside the replica (by the CLI, an import, the local API) into
   * Automerge changes of their documents, sealed into this device's bundles: a new row creates its
   * memory, a changed row becomes an edit of the fields that differ, a deleted row forgets its
   * memory. It reads the store's change log from where it stopped last time (kept in the store),
   * or compares every row and document when the log no longer reaches back that far. Rows of
   * classes this device does not hold through the vault are left alone. Returns how many memories
   * changed.
   */
  public synchronized int ingest() throws StoreException {
    return committing(() -> ingest0());
  }

  private int ingest0() throws StoreException {
    long since = ledger.ingested().orElse(0L);
    long upTo = store.changeSeq();
    Optional<java.util.Set<MemoryId>> changed = since >= upTo ? Optional.of(java.util.Set.of()) : store.changedSince(since);
    java.util.Set<MemoryId> ids = new java.util.TreeSet<>();
    if (changed.isPresent()) {
      ids.addAll(changed.get());
    } else {
      store.scan(Optional.empty(), m -> ids.add(m.id()));
      docs.keySet().forEach(id -> ids.add(MemoryId.parse(id)));
    }
    int n = 0;
    for (MemoryId id : ids) {
      try {
        n += reconcile(id) ? 1 : 0;
      } catch (SyncException | CrdtException e) {
        rejections.merge(Rejection.BAD_CHANGES, 1L, Long::sum);
      }
      if (ledger.rows() >= ROW_BATCH) {
        ledger.commit();
      }
    }
    ledger.commit();
    ledger.ingested(upTo);
    return n;
  }

  /** Makes memory {@code id}'s document agree with its row; true when that took a change. */
  private boolean reconcile(MemoryId id) throws StoreException, SyncException, CrdtException {
    Optional<Memory> row = store.get(id);
    MemoryDoc doc = docs.get(id.toString());
    if (row.isEmpty()) {
      if (doc != null && !doc.isForgotten() && doc.materialize().isPresent()) {
        ClassState c = byName.get(docClass.get(id.toString()));
        if (c != null && holds(c)) {
          Optional<Changes> changes = doc.forget();
          if (changes.isPresent()) {
            emit(c, id, changes.get());
            return true;
          }
        }
      }
      return false;
    }
    Memory m = row.get();
    ClassState c = byName.get(m.memoryClass().name());
    if (c == null || !holds(c) || c.tombstones.contains(id.toString())) {
      return false;
    }
    if (doc == null) {
      create0(m);
      return true;
    }
    if (doc.isForgotten()) {
      return false; // forgotten here or by a peer: forget wins
    }
    Optional<MemoryState> now = doc.materialize();
    if (now.isEmpty()) {
      return false;
    }
    MemoryState want = MemoryStates.state(m);
    MemoryState have = now.get();
    if (!want.memoryClass().equals(have.memoryClass())) {
      return false; // moving a memory between classes does not sync yet
    }
    MemoryEdit.Builder e = MemoryEdit.at(m.updated());
    boolean any = false;
    if (!want.text().equals(have.text())) {
      e.text(want.text());
      any = true;
    }
    if (!want.tags().equals(have.tags())) {
      e.tags(want.tags());
      any = true;
    }
    if (Double.compare(want.importance(), have.importance()) != 0) {
      e.importance(want.importance());
      any = true;
    }
    if (!want.source().equals(have.source())) {
      e.source(want.source());
      any = true;
    }
    if (want.pinned() != have.pinned()) {
      e.pinned(want.pinned());
      any = true;
    }
    if (!want.metadata().equals(have.metadata())) {
      for (String k : have.metadata().keySet()) {
        if (!want.metadata().containsKey(k)) {
          e.removeMetadata(k);
        }
      }
      e.putMetadata(want.metadata());
      any = true;
    }
    if (!want.links().equals(have.links())) {
      e.links(want.links());
      any = true;
    }
    if (!any) {
      return false;
    }
    Optional<Changes> changes = doc.update(e.build());
    if (changes.isPresent()) {
      emit(c, id, changes.get());
      materialize(id, doc);
      return true;
    }
    return false;
  }

  /** The store change up to which local rows were made into changes, if a replica ever ingested. */
  public static java.util.OptionalLong ingested(MemoryStore store) throws StoreException {
    return new ReplicaLedger(store).ingested();
  }

  /** Whether a replica was ever made on {@code store}: it holds the vault's first operation. */
  public static boolean hasVault(MemoryStore store) throws StoreException {
    return new ReplicaLedger(store).genesisId().isPresent();
  }

  /** Keeps {@code b} in memory if it is this device's own, to apply again once it can ({@code replayOwn}). */
  private void keepOwn(ClassState c, byte[] b) throws StoreException {
    try {
      BundleHeader h = SealedBundle.decodeKept(b).header();
      if (h.author().equals(identity.publicKey())) {
        c.bundles.computeIfAbsent(author, a -> new TreeMap<>()).put(h.seq(), b);
        c.ownSeq = Math.max(c.ownSeq, h.seq());
        c.replayOwn = true;
      }
    } catch (BundleException e) {
      throw new StoreException("a kept bundle is damaged: " + e.getMessage(), e);
    }
  }

  /** Rebuilds one class from its kept bundles and waiting changes. */
  private void restoreClass(ClassState c) throws StoreException {
    Optional<VersionVector> skipped = ledger.skip(c.tag);
    if (skipped.isPresent()) {
      c.log.skipTo(skipped.get());
      c.skipped = skipped.get();
    }
    List<byte[]> kept = ledger.bundles(c.tag);
    if (holds(c)) {
      for (byte[] b : kept) {
        if (receive0(b).rejected().isPresent()) {
          keepOwn(c, b); // its own, sealed under a key it does not have back yet
        }
      }
      TreeMap<Long, byte[]> own = c.bundles.get(author);
      c.ownSeq = Math.max(c.ownSeq, Math.max(c.log.versionVector().get(author), own == null || own.isEmpty() ? 0 : own.lastKey()));
    } else {
      for (byte[] b : kept) {
        keepOwn(c, b);
      }
    }
    for (ReplicaLedger.Entry e : ledger.state("wait/", c.tag)) {
      long n = e.key().getLong();
      c.waitingSeq = Math.max(c.waitingSeq, n);
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(e.value());
      in.get();
      MemoryId id = MemoryId.fromBytes(bytes(in, 16), 0);
      Changes changes;
      try {
        changes = Changes.parse(bytes(in, in.remaining()));
      } catch (CrdtException bad) {
        throw new StoreException("a kept local change is damaged: " + bad.getMessage(), bad);
      }
      apply(c, author, 0, e.value());
      c.unsealed.add(Map.entry(id, changes));
      c.waitingStored = true;
    }
  }

  private boolean holds(ClassState c) {
    return members.member(identity.publicKey()).map(m -> !m.revoked() && m.classes().contains(c.tag)).orElse(false);
  }

  public IdentityKey device() {
    return identity.publicKey();
  }

  /** A member of the vault as the membership log reads now, its classes by name. */
  public record Device(IdentityKey key, String name, List<String> classes, boolean revoked) {}

  /** The vault's members now, revoked ones included, in ascending key order. */
  public synchronized List<Device> devices() {
    return members.members().stream().map(this::device).toList();
  }

  /** The member {@code key}; empty if it never was one. */
  public synchronized Optional<Device> device(IdentityKey key) {
    return members.member(key).map(this::device);
  }

  /** Whether {@code key} is a member not revoked: the only peers a sync connection admits. */
  public synchronized boolean admits(IdentityKey key) {
    return members.member(key).map(m -> !m.revoked()).orElse(false);
  }

  /** The vault id. */
  public Bytes vault() {
    return vault;
  }

  private Device device(dev.mnode.crdt.membership.Member m) {
    List<String> names = m.classes().stream()
        .map(t -> byTag.containsKey(t) ? byTag.get(t).name : "class:" + t.tag().hex().substring(0, 8))
        .sorted().toList();
    return new Device(m.device(), m.name(), names, m.revoked());
  }

  /** Renames member {@code device}. */
  public synchronized Operation rename(IdentityKey device, String name) throws SyncException, StoreException {
    return committing(() -> authored(() -> members.rename(identity, device, name)));
  }

  /** The classes this device holds now, by name, sorted. */
  public synchronized List<String> heldClasses() {
    return byName.values().stream().filter(this::holds).map(c -> c.name).sorted().toList();
  }

  /** Creates {@code m} (its id, fields and times), in its class, which this device must hold. */
  public synchronized Memory create(Memory m) throws StoreException, SyncException {
    return committing(() -> create0(m));
  }

  private Memory create0(Memory m) throws StoreException, SyncException {
    ClassState c = held(m.memoryClass().name());
    MemoryDoc doc = CrdtModule.newMemoryDoc(actor);
    Changes changes = doc.create(m.id().toString(), MemoryStates.fields(m));
    docs.put(m.id().toString(), doc);
    docClass.put(m.id().toString(), c.name);
    emit(c, m.id(), changes);
    return materialize(m.id(), doc).orElseThrow();
  }

  /** Applies {@code edit} to memory {@code id}; empty when there is no such memory here. */
  public synchronized Optional<Memory> update(MemoryId id, MemoryEdit edit) throws StoreException, SyncException {
    return committing(() -> update0(id, edit));
  }

  private Optional<Memory> update0(MemoryId id, MemoryEdit edit) throws StoreException, SyncException {
    MemoryDoc doc = docs.get(id.toString());
    Optional<Memory> current = store.get(id);
    if (doc == null || current.isEmpty() || doc.isForgotten()) {
      return Optional.empty();
    }
    if (edit.memoryClass() != null && !edit.memoryClass().equals(current.get().memoryClass().name())) {
      throw new SyncException("moving a memory to another class is not supported by sync yet");
    }
    ClassState c = held(current.get().memoryClass().name());
    try {
      Optional<Changes> changes = doc.update(edit);
      if (changes.isPresent()) {
        emit(c, id, changes.get());
      }
    } catch (CrdtException e) {
      throw new SyncException("cannot update " + id + ": " + e.getMessage(), e);
    }
    return materialize(id, doc);
  }

  /** Forgets memory {@code id}; false when there is no such memory here. */
  public synchronized boolean forget(MemoryId id) throws StoreException, SyncException {
    return committing(() -> forget0(id));
  }

  private boolean forget0(MemoryId id) throws StoreException, SyncException {
    MemoryDoc doc = docs.get(id.toString());
    Optional<Memory> current = store.get(id);
    if (doc == null || current.isEmpty()) {
      return false;
    }
    ClassState c = held(current.get().memoryClass().name());
    Optional<Changes> changes = doc.forget();
    if (changes.isPresent()) {
      emit(c, id, changes.get());
    }
    materialize(id, doc);
    return true;
  }

  private void emit(ClassState c, MemoryId id, Changes changes) throws StoreException {
    c.unsealed.add(Map.entry(id, changes));
    seal(c);
    if (!c.unsealed.isEmpty()) {
      // No key for the current epoch yet: kept in the store until it is sealed.
      ledger.waiting(c.tag, ++c.waitingSeq, body(id, changes));
      c.waitingStored = true;
    }
  }

  /**
   * Seals the class's waiting changes at its current epoch, once this device has that epoch's
   * key: after a rotation nothing is written under an older key, so a removed device cannot read it.
   */
  private void seal(ClassState c) throws StoreException {
    OptionalInt epoch = members.currentEpoch(c.tag);
    if (c.unsealed.isEmpty() || epoch.isEmpty() || !holds(c)) {
      return;
    }
    Optional<SecretBytes> key = keys.key(c.tag, epoch.getAsInt());
    if (key.isEmpty()) {
      return;
    }
    try (SecretBytes k = key.get()) {
      for (Map.Entry<MemoryId, Changes> e : c.unsealed) {
        byte[] body = body(e.getKey(), e.getValue());
        long seq = ++c.ownSeq;
        BundleHeader header = new BundleHeader(vault, c.tag, identity.publicKey(), seq, epoch.getAsInt(), clock.instant());
        SealedBundle sealed = SealedBundle.seal(identity, header, k, body);
        byte[] encoded = sealed.encode();
        c.bundles.computeIfAbsent(author, a -> new TreeMap<>()).put(seq, encoded);
        ledger.bundle(c.tag, author, seq, encoded);
        try {
          c.log.offer(new LogEntry(author, seq, ByteString.copyOf(body)));
        } catch (EquivocationException | PendingLimitException ex) {
          throw new IllegalStateException("own log refused own seq " + seq, ex);
        }
      }
    }
    c.unsealed.clear();
    if (c.waitingStored) {
      ledger.dropWaiting(c.tag);
      c.waitingStored = false;
    }
  }

  /** Local changes not sealed yet, because the key of their class's current epoch has not arrived. */
  public synchronized int unsealed() {
    return byName.values().stream().mapToInt(c -> c.unsealed.size()).sum();
  }

  /** Checks, opens and applies one received bundle; a refusal is counted and returned, never thrown. */
  public synchronized Outcome receive(byte[] bytes) throws StoreException {
    return committing(() -> receive0(bytes));
  }

  private Outcome receive0(byte[] bytes) throws StoreException {
    // While replaying at open, bundles come from this device's store, which authenticates them,
    // and were checked when they arrived: checking each signature again was most of opening.
    return receive0(bytes, replaying ? decodeKept(bytes) : decode(bytes));
  }

  /** A bundle decoded and its signature checked, or why not: the part of receiving that needs no state. */
  private record Decoded(@Nullable SealedBundle bundle, @Nullable BundleException failure) {}

  private static Decoded decode(byte[] bytes) {
    try {
      return new Decoded(SealedBundle.decode(bytes), null);
    } catch (BundleException e) {
      return new Decoded(null, e);
    }
  }

  private static Decoded decodeKept(byte[] bytes) {
    try {
      return new Decoded(SealedBundle.decodeKept(bytes), null);
    } catch (BundleException e) {
      return new Decoded(null, e);
    }
  }

  private Outcome receive0(byte[] bytes, Decoded d) throws StoreException {
    if (d.bundle() == null) {
      BundleException e = d.failure();
      return reject(e.reason() == BundleException.Reason.BAD_SIGNATURE ? Rejection.BAD_SIGNATURE : Rejection.MALFORMED, e.getMessage());
    }
    SealedBundle b = d.bundle();
    BundleHeader h = b.header();
    if (!h.vault().equals(vault)) {
      return reject(Rejection.OTHER_VAULT, "bundle of another vault");
    }
    ClassState c = byTag.get(h.classTag());
    if (c == null) {
      return reject(Rejection.CLASS_NOT_HELD, "bundle of a class this device does not hold");
    }
    if (!holds(c)) {
      return reject(Rejection.CLASS_NOT_HELD, "bundle of a class this device no longer holds");
    }
    if (h.seq() <= c.skipped.get(h.author().key().hex())) {
      // A snapshot stands for it, and its epoch key may be erased already: nothing to open.
      return new Outcome(Optional.empty(), "covered", 0);
    }
    if (!members.mayWrite(h.author(), h.classTag(), h.epoch(), h.seq())) {
      return reject(Rejection.AUTHOR_NOT_ALLOWED, "author " + h.author() + " may not write this class at epoch " + h.epoch());
    }
    byte[] body;
    try {
      body = b.open(keys);
    } catch (BundleException e) {
      // Sealed before its author learnt of a concurrent rotation: under that author's candidate key.
      Optional<byte[]> early = openWithCandidates(b);
      if (early.isEmpty()) {
        return reject(e.reason() == BundleException.Reason.NO_KEY ? Rejection.NO_KEY : Rejection.DOES_NOT_OPEN, e.getMessage());
      }
      body = early.get();
    }
    String from = h.author().key().hex();
    if (SnapshotPart.isPart(body)) {
      Optional<Outcome> collected = collect(c, from, h.seq(), h.epoch(), bytes, body);
      if (collected.isPresent()) {
        return collected.get();
      }
    }
    return offer(c, from, h.seq(), h.epoch(), bytes, body, List.of());
  }

  /**
   * Offers an opened bundle to its author's log, keeps it to pass on, and applies whatever the log
   * delivers, then {@code alsoDelivered} (entries a snapshot released).
   */
  private Outcome offer(ClassState c, String from, long seq, int epoch, byte[] sealed, byte[] body, List<LogEntry> alsoDelivered)
      throws StoreException {
    OfferResult r;
    try {
      r = c.log.offer(new LogEntry(from, seq, ByteString.copyOf(body)));
    } catch (EquivocationException e) {
      return reject(Rejection.EQUIVOCATION, e.getMessage());
    } catch (PendingLimitException e) {
      return reject(Rejection.TOO_MANY_PENDING, e.getMessage());
    }
    if (r.status() == OfferResult.Status.DUPLICATE && alsoDelivered.isEmpty()) {
      return new Outcome(Optional.empty(), "duplicate", 0);
    }
    if (!from.equals(author)) {
      c.epochs.computeIfAbsent(from, a -> new TreeMap<>()).put(seq, epoch);
    }
    if (c.bundles.computeIfAbsent(from, a -> new TreeMap<>()).putIfAbsent(seq, sealed.clone()) == null && !replaying) {
      ledger.bundle(c.tag, from, seq, sealed);
    }
    int applied = 0;
    List<LogEntry> delivered = new ArrayList<>(r.delivered());
    delivered.addAll(alsoDelivered);
    for (LogEntry e : delivered) {
      Refusal failure = apply(c, e.author(), e.seq(), e.payload().toByteArray());
      if (failure != null) {
        // Signed by a member and sealed under the class key, yet not valid (or, for a snapshot
        // written before its author learnt of a revocation, no longer usable): counted, skipped.
        reject(failure.why(), failure.detail());
      } else {
        applied++;
      }
    }
    return new Outcome(Optional.empty(), r.status().name().toLowerCase(java.util.Locale.ROOT), applied);
  }

  /**
   * Collects a part of a snapshot that would let this device skip bundles it lacks. Once every part
   * is here, the log skips what the snapshot covers and the parts are applied: how a new device
   * bootstraps from a snapshot plus the tail. Empty when the part should be offered as any bundle
   * is: it does not decode or check out (applying then reports it), or this device has everything
   * it covers already (merging it is then a union of changes it has).
   */
  private Optional<Outcome> collect(ClassState c, String from, long seq, int epoch, byte[] sealed, byte[] body)
      throws StoreException {
    SnapshotPart part;
    try {
      part = SnapshotPart.decode(body);
    } catch (dev.mnode.crdt.MalformedException e) {
      return Optional.empty();
    }
    VersionVector covers = part.snapshot().covers();
    long first = covers.get(from) + 1;
    if (snapshotProblem(c, from, seq, part) != null || c.log.versionVector().dominates(covers)) {
      return Optional.empty();
    }
    String key = from + "/" + first;
    TreeMap<Integer, Part> group = c.parts.get(key);
    if (group != null) {
      SnapshotPart other = group.firstEntry().getValue().part();
      if (other.count() != part.count() || !other.snapshot().covers().equals(covers)) {
        // Parts that do not belong together: none can be trusted to stand for the covered bundles.
        c.parts.remove(key);
        for (Part p : group.values()) {
          offer(c, from, first + p.part().index(), p.epoch(), p.sealed(), p.body(), List.of());
        }
        return Optional.empty();
      }
    } else {
      if (c.parts.size() >= MAX_COLLECTED_SNAPSHOTS) {
        return Optional.empty();
      }
      group = new TreeMap<>();
      c.parts.put(key, group);
    }
    if (group.putIfAbsent(part.index(), new Part(sealed.clone(), body, part, epoch)) != null) {
      return Optional.of(new Outcome(Optional.empty(), "duplicate", 0));
    }
    if (group.size() < part.count()) {
      return Optional.of(new Outcome(Optional.empty(), "snapshot part held", 0));
    }
    c.parts.remove(key);
    List<LogEntry> released = c.log.skipTo(covers);
    c.skipped = c.skipped.merge(covers);
    if (!replaying) {
      ledger.skip(c.tag, c.skipped);
    }
    int applied = 0;
    List<byte[]> all = new ArrayList<>();
    for (Part p : group.values()) {
      Outcome o = offer(c, from, first + p.part().index(), p.epoch(), p.sealed(), p.body(), p.part().index() == 0 ? released : List.of());
      applied += o.applied();
      // One durable batch per part: a part holds at most SnapshotPart.MAX_DOCUMENTS rows.
      ledger.commit();
      all.add(p.sealed());
    }
    Snapshot done = new Snapshot(from, first, covers, all);
    if (c.latest == null || c.latest.covered() < done.covered()) {
      c.latest = done;
    }
    return Optional.of(new Outcome(Optional.empty(), "snapshot", applied));
  }

  /**
   * Why a snapshot part of {@code author} at {@code seq} cannot stand for the bundles it covers,
   * or null: its seq is not where its author's snapshot starts plus its index, or it covers writes
   * of a revoked device beyond that revocation's cut.
   */
  private @Nullable Refusal snapshotProblem(ClassState c, String author, long seq, SnapshotPart part) {
    VersionVector covers = part.snapshot().covers();
    if (seq != covers.get(author) + 1 + part.index()) {
      return new Refusal(Rejection.BAD_CHANGES, "snapshot part " + part.index() + " at seq " + seq + " does not follow what its author's snapshot covers");
    }
    for (Map.Entry<String, Long> e : covers.asMap().entrySet()) {
      IdentityKey a;
      try {
        a = IdentityKey.of(java.util.HexFormat.of().parseHex(e.getKey()));
      } catch (RuntimeException bad) {
        return new Refusal(Rejection.BAD_CHANGES, "snapshot covers an author that is not a device: " + e.getKey());
      }
      Optional<Map<ClassTag, Long>> cut = members.revocationCut(a);
      if (cut.isPresent() && e.getValue() > cut.get().getOrDefault(c.tag, 0L)) {
        return new Refusal(Rejection.AUTHOR_NOT_ALLOWED, "snapshot covers writes of revoked device " + e.getKey() + " beyond its revocation");
      }
    }
    return null;
  }

  /**
   * Opens a bundle its author sealed under an epoch key of its own view of the rotations: one
   * candidate (before it learnt of a concurrent rotation), or a combination of some (before one was
   * cancelled by a revocation). Tries each known candidate, then each combination of two or more
   * (an epoch has few concurrent rotations; at most {@value #MAX_TRIED_CANDIDATES} are tried).
   */
  private Optional<byte[]> openWithCandidates(SealedBundle b) {
    ClassTag tag = b.header().classTag();
    int epoch = b.header().epoch();
    TreeMap<Bytes, SecretBytes> byOp = new TreeMap<>();
    candidates.getOrDefault(tag, Map.of()).getOrDefault(epoch, Map.of()).forEach((op, sent) -> {
      IdentityKey opAuthor = members.get(new OperationId(op)).map(Operation::author).orElse(null);
      SecretBytes k = opAuthor == null ? null : sent.get(opAuthor);
      if (k != null && byOp.size() < MAX_TRIED_CANDIDATES) {
        byOp.put(op, k);
      }
    });
    List<Bytes> ops = new ArrayList<>(byOp.keySet());
    for (int mask = 1; mask < (1 << ops.size()); mask++) {
      TreeMap<Bytes, SecretBytes> subset = new TreeMap<>();
      for (int i = 0; i < ops.size(); i++) {
        if ((mask & (1 << i)) != 0) {
          subset.put(ops.get(i), byOp.get(ops.get(i)));
        }
      }
      try (SecretBytes k = EpochKeys.combine(tag, epoch, subset); ClassKeyring one = new ClassKeyring()) {
        one.add(tag, epoch, k);
        return Optional.of(b.open(one));
      } catch (BundleException e) {
        // not this one
      }
    }
    return Optional.empty();
  }

  static final int MAX_TRIED_CANDIDATES = 6;

  /** Applies the body of {@code author}'s bundle {@code seq}; returns why it could not, or null. */
  private @Nullable Refusal apply(ClassState c, String author, long seq, byte[] body) throws StoreException {
    if (SnapshotPart.isPart(body)) {
      return applyPart(c, author, seq, body);
    }
    ByteBuffer in = ByteBuffer.wrap(body);
    if (body.length < 17 || in.get() != CHANGES) {
      return new Refusal(Rejection.BAD_CHANGES, "bundle body too short or of an unknown kind");
    }
    byte[] idBytes = new byte[16];
    in.get(idBytes);
    MemoryId id = MemoryId.fromBytes(idBytes, 0);
    byte[] rest = new byte[in.remaining()];
    in.get(rest);
    if (c.tombstones.contains(id.toString())) {
      return null; // forgotten for good: whatever else was done to it concurrently loses
    }
    String known = docClass.putIfAbsent(id.toString(), c.name);
    if (known != null && !known.equals(c.name)) {
      return new Refusal(Rejection.BAD_CHANGES, "changes of a " + known + " memory in a " + c.name + " bundle");
    }
    MemoryDoc doc = docs.computeIfAbsent(id.toString(), x -> CrdtModule.newMemoryDoc(actor));
    try {
      doc.applyChanges(Changes.parse(rest));
      Optional<MemoryState> state = doc.materialize();
      if (state.isPresent() && !state.get().memoryClass().equals(c.name)) {
        return new Refusal(Rejection.BAD_CHANGES, "changes of a " + state.get().memoryClass() + " memory in a " + c.name + " bundle");
      }
    } catch (CrdtException e) {
      return new Refusal(Rejection.BAD_CHANGES, "bad changes for " + id + ": " + e.getMessage());
    }
    materialize(id, doc);
    return null;
  }

  /**
   * Merges one snapshot part: its documents' changes join this device's documents (a union, so
   * applying it again or after the bundles it covers changes nothing), and its forgotten memories
   * lose their documents and rows for good.
   */
  private @Nullable Refusal applyPart(ClassState c, String author, long seq, byte[] body) throws StoreException {
    SnapshotPart part;
    try {
      part = SnapshotPart.decode(body);
    } catch (dev.mnode.crdt.MalformedException e) {
      return new Refusal(Rejection.BAD_CHANGES, "bad snapshot part: " + e.getMessage());
    }
    Refusal problem = snapshotProblem(c, author, seq, part);
    if (problem != null) {
      return problem;
    }
    dev.mnode.crdt.ClassSnapshot snap = part.snapshot();
    Map<String, MemoryDoc> view = new HashMap<>();
    for (String id : snap.documents().keySet()) {
      String known = docClass.get(id);
      if (known != null && !known.equals(c.name)) {
        return new Refusal(Rejection.BAD_CHANGES, "a " + c.name + " snapshot holds a " + known + " memory");
      }
      if (!c.tombstones.contains(id) && docs.containsKey(id)) {
        view.put(id, docs.get(id));
      }
    }
    for (String id : snap.forgotten()) {
      String known = docClass.get(id);
      if (known != null && !known.equals(c.name)) {
        return new Refusal(Rejection.BAD_CHANGES, "a " + c.name + " snapshot forgets a " + known + " memory");
      }
      if (docs.containsKey(id)) {
        view.put(id, docs.get(id));
      }
    }
    dev.mnode.crdt.ClassSnapshot.Applied done;
    try {
      done = snap.applyTo(view, actor);
    } catch (CrdtException e) {
      return new Refusal(Rejection.BAD_CHANGES, "bad snapshot part: " + e.getMessage());
    }
    for (String id : done.dropped()) {
      docs.remove(id);
    }
    for (String id : snap.forgotten()) {
      c.tombstones.add(id);
      docClass.put(id, c.name);
      deleteRow(MemoryId.parse(id));
    }
    List<String> touched = new ArrayList<>(done.added());
    touched.addAll(done.merged());
    for (String id : touched) {
      MemoryDoc doc = view.get(id);
      docClass.put(id, c.name);
      if (c.tombstones.contains(id)) {
        doc.close();
        docs.remove(id);
        deleteRow(MemoryId.parse(id));
        continue;
      }
      docs.put(id, doc);
      try {
        Optional<MemoryState> state = doc.materialize();
        if (state.isPresent() && !state.get().memoryClass().equals(c.name)) {
          continue; // another class's memory inside this class's snapshot: never made a row here
        }
      } catch (CrdtException e) {
        continue;
      }
      materialize(MemoryId.parse(id), doc);
    }
    if (part.index() == part.count() - 1) {
      completed(c, author, seq - part.index(), part);
    }
    return null;
  }

  /**
   * After the last part of {@code author}'s snapshot starting at {@code first} was applied: it
   * becomes the class's latest snapshot if it covers more, and every kept bundle it covers goes,
   * with the epoch keys nothing kept needs any more (what makes forgetting final).
   */
  private void completed(ClassState c, String author, long first, SnapshotPart last) throws StoreException {
    TreeMap<Long, byte[]> seqs = c.bundles.get(author);
    List<byte[]> sealed = new ArrayList<>();
    for (long seq = first; seq < first + last.count(); seq++) {
      byte[] b = seqs == null ? null : seqs.get(seq);
      if (b == null) {
        return;
      }
      sealed.add(b);
    }
    VersionVector covers = last.snapshot().covers();
    Snapshot done = new Snapshot(author, first, covers, List.copyOf(sealed));
    if (c.latest == null || c.latest.covered() <= done.covered()) {
      c.latest = done;
    }
    prune(c, covers);
    if (!replaying) {
      c.resnapshot = true; // looked at once the call that applied this is done (resnapshotIfDue)
    }
  }

  /**
   * After a snapshot was applied: when bundles written under an older epoch are still kept here
   * (writes concurrent with a compaction), devices that erased that epoch cannot open them. A
   * snapshot of this device under the newest epoch covers them for everyone, and lets this device
   * erase the old key too.
   */
  private void resnapshotIfDue() throws StoreException {
    for (ClassState c : List.copyOf(byName.values())) {
      if (!c.resnapshot) {
        continue;
      }
      c.resnapshot = false;
      if (holds(c) && c.unsealed.isEmpty() && currentKey(c) && c.log.versionVector().get(author) == c.ownSeq
          && oldestKeptEpoch(c) < members.currentEpoch(c.tag).orElse(0)) {
        try {
          snapshot(c.name, SnapshotPart.TARGET_BYTES);
          prune(c, c.latest.covers());
        } catch (SyncException e) {
          // lost the class or its key meanwhile: the next snapshot that reaches it tries again
        }
      }
    }
  }

  private void deleteRow(MemoryId id) throws StoreException {
    if (!replaying) {
      ledger.deleteRow(id);
    }
  }

  /** Writes the document's state as the memory's row (or deletes the row once forgotten). */
  private Optional<Memory> materialize(MemoryId id, MemoryDoc doc) throws StoreException {
    Optional<MemoryState> state;
    try {
      state = doc.isForgotten() ? Optional.empty() : doc.materialize();
    } catch (CrdtException e) {
      state = Optional.empty();
    }
    if (state.isEmpty()) {
      if (doc.isForgotten() && !replaying) {
        ledger.deleteRow(id);
      }
      return Optional.empty();
    }
    Memory m = MemoryStates.memory(state.get());
    if (!replaying) {
      ledger.row(m);
    }
    return Optional.of(m);
  }

  /** Rows per durable batch while receiving many bundles. */
  static final int ROW_BATCH = 1_000;

  /**
   * Receives many bundles, as {@link #receive} does one by one, but writes the resulting rows and
   * kept bundles in durable batches instead of one synced write per bundle: what a first sync needs.
   */
  public synchronized List<Outcome> receiveAll(List<byte[]> bundles) throws StoreException {
    return committing(() -> receiveAll0(bundles));
  }

  private List<Outcome> receiveAll0(List<byte[]> bundles) throws StoreException {
    List<Outcome> out = new ArrayList<>(bundles.size());
    // Checking signatures needs no state and dominates applying: it runs on every core, a chunk
    // ahead, while bundles are applied one by one in their order.
    for (int from = 0; from < bundles.size(); from += ROW_BATCH) {
      List<byte[]> chunk = bundles.subList(from, Math.min(bundles.size(), from + ROW_BATCH));
      List<Decoded> decoded = chunk.parallelStream().map(Replica::decode).toList();
      for (int i = 0; i < chunk.size(); i++) {
        out.add(receive0(chunk.get(i), decoded.get(i)));
        if (ledger.rows() >= ROW_BATCH) {
          ledger.commit();
        }
      }
    }
    return out;
  }

  /** The body of a public call, which {@link #committing} follows with {@link #commit()}. */
  private interface Call<T, E extends Exception> {
    T run() throws E, StoreException;
  }

  /**
   * Runs a public call's body, then writes what it gathered for the store, even when it fails
   * part-way: what changed in memory is then on disk too.
   */
  private <T, E extends Exception> T committing(Call<T, E> body) throws E, StoreException {
    try {
      T out = body.run();
      resnapshotIfDue();
      return out;
    } finally {
      commit();
    }
  }

  /** Writes what this call gathered for the store (rows, bundles, keys, state) in one durable batch. */
  private void commit() throws StoreException {
    if (replaying) {
      return;
    }
    prekeys.current();
    List<Integer> held = prekeys.retained();
    boolean erased = false;
    if (held.size() > KEPT_PREKEYS) {
      // Envelopes sealed to the previous prekey may still be on their way; older ones are not
      // waited for: their private keys go, so a later theft of this device cannot open them.
      erased = prekeys.eraseAllBut(java.util.Set.copyOf(held.subList(held.size() - KEPT_PREKEYS, held.size()))) > 0;
      held = prekeys.retained();
    }
    if (!held.equals(savedPrekeys)) {
      try (SecretBytes export = prekeys.export()) {
        ledger.prekeys(export, erased);
      }
      savedPrekeys = held;
    }
    ledger.commit();
  }

  private ClassState held(String className) throws SyncException {
    ClassState c = byName.get(className);
    if (c == null || !holds(c)) {
      throw new SyncException("this device does not hold class " + className);
    }
    return c;
  }

  private Outcome reject(Rejection r, String detail) {
    rejections.merge(r, 1L, Long::sum);
    return Outcome.rejected(r, detail);
  }

  // ---- membership and keys ----

  /** This device's current signed prekey, which peers seal key envelopes to. */
  public synchronized SignedPrekey prekey() throws StoreException {
    return committing(() -> prekeys.current());
  }

  /** Makes the keys of the epochs that an operation this device wrote outside the replica starts (genesis). */
  public synchronized void wrote(Operation op) throws StoreException {
    committing(() -> {
      wrote0(op);
      return null;
    });
  }

  private void wrote0(Operation op) throws StoreException {
    if (!op.author().equals(identity.publicKey())) {
      throw new IllegalArgumentException("not an operation of this device");
    }
    authored(op);
  }

  /** Learns a member's signed prekey; false (and ignored) unless it is signed by a member. */
  public synchronized boolean learnPrekey(SignedPrekey p) throws StoreException {
    return committing(() -> learnPrekey0(p));
  }

  private boolean learnPrekey0(SignedPrekey p) throws StoreException {
    if (!p.verify() || members.member(p.owner()).isEmpty()) {
      return false;
    }
    SignedPrekey old = peerPrekeys.get(p.owner());
    if (old == null || old.id() < p.id()) {
      peerPrekeys.put(p.owner(), p);
      ledger.peerPrekey(p.owner(), p.encode());
      if (old != null) {
        // The peer may have erased the prekey earlier envelopes were sealed to (it does after a
        // compaction): the keys it may still need go again, sealed to the new one, and the
        // envelopes sealed to its older prekeys are dropped (they carry nothing more).
        String suffix = "/" + p.owner();
        for (java.util.Iterator<String> it = sent.iterator(); it.hasNext(); ) {
          String what = it.next();
          if (what.endsWith(suffix)) {
            it.remove();
            ledger.unsent(what);
          }
        }
        dropEnvelopes(p.owner(), k -> k.prekeyId() < p.id());
        sendKeys();
      }
    }
    sealOwed();
    return true;
  }

  /** The membership operations a peer whose heads are {@code peerHeads} lacks, encoded. */
  public synchronized List<byte[]> operationsFor(List<OperationId> peerHeads) {
    return members.missingFor(peerHeads).stream().map(Operation::encode).toList();
  }

  public synchronized List<OperationId> heads() {
    return members.heads();
  }

  /** Adds {@code device} to the vault with {@code classes}; it receives their keys. */
  public synchronized Operation addDevice(IdentityKey device, String name, List<String> classes) throws SyncException, StoreException {
    return committing(() -> authored(() -> members.addDevice(identity, device, name, tags(classes))));
  }

  /** Grants {@code classes} to member {@code device}; it receives their keys. */
  public synchronized Operation grant(IdentityKey device, List<String> classes) throws SyncException, StoreException {
    return committing(() -> authored(() -> members.grant(identity, device, tags(classes))));
  }

  /** Takes {@code classes} from {@code device}: each starts a new epoch whose key it never gets. */
  public synchronized Operation ungrant(IdentityKey device, List<String> classes) throws SyncException, StoreException {
    return committing(() -> authored(() -> members.ungrant(identity, device, tags(classes))));
  }

  /**
   * Revokes {@code device} for good: every class it held starts a new epoch, and of what it wrote
   * only the bundles this device had accepted (the cut: per class, its highest contiguous seq here)
   * still count anywhere.
   */
  public synchronized Operation revoke(IdentityKey device) throws SyncException, StoreException {
    return committing(() -> revoke0(device));
  }

  private Operation revoke0(IdentityKey device) throws SyncException, StoreException {
    Map<ClassTag, Long> cut = new HashMap<>();
    String hex = device.key().hex();
    for (ClassState c : byName.values()) {
      if (holds(c)) {
        cut.put(c.tag, c.log.versionVector().get(hex));
      }
    }
    return authored(() -> members.revoke(identity, device, cut));
  }

  private List<ClassTag> tags(List<String> classes) throws SyncException {
    List<ClassTag> out = new ArrayList<>();
    for (String c : classes) {
      ClassState s = byName.get(c);
      if (s == null) {
        throw new SyncException("unknown class " + c);
      }
      out.add(s.tag);
    }
    return out;
  }

  /**
   * After an operation this device wrote: a fresh key for every epoch it starts, sent to that
   * epoch's holders only (this device keeps a copy only if it is one); for a grant, the keys this
   * device holds of the granted classes, sent to the new holder.
   */
  /** A membership operation this device writes, which the log may refuse. */
  private interface Writing {
    Operation write() throws MembershipException, SyncException;
  }

  /** Writes a membership operation ({@link #authored(Operation)}); a refusal is a SyncException. */
  private Operation authored(Writing w) throws SyncException, StoreException {
    Operation op;
    try {
      op = w.write();
    } catch (MembershipException e) {
      throw new SyncException(e.getMessage(), e);
    }
    return authored(op);
  }

  private Operation authored(Operation op) throws StoreException {
    ledger.op(op);
    if (op.kind() == Operation.Kind.GRANT || op.kind() == Operation.Kind.ADD_DEVICE) {
      // The grantee may have dropped the class's keys when it lost the class before: every key
      // of the class goes to it again.
      for (ClassTag t : op.classes()) {
        String suffix = "/" + op.subject();
        for (java.util.Iterator<String> it = sent.iterator(); it.hasNext(); ) {
          String what = it.next();
          if (what.startsWith(t + "/") && what.endsWith(suffix)) {
            it.remove();
            ledger.unsent(what);
          }
        }
      }
    }
    for (Map.Entry<ClassTag, Integer> e : members.epochsStartedBy(op.id()).entrySet()) {
      try (SecretBytes key = SecretBytes.random(ClassKeyring.KEY_BYTES)) {
        mine.put(new Rotation(e.getKey(), e.getValue(), op.id().bytes()), SecretBytes.copyOf(key.copy()));
        ledger.mine(e.getKey(), e.getValue(), op.id().bytes(), key);
      }
    }
    membershipChanged();
    return op;
  }

  /** A rotation this device wrote: class, epoch, operation. */
  private record Rotation(ClassTag tag, int epoch, Bytes operation) {}

  /**
   * Candidate keys of the rotations this device wrote, kept so that a device that turns out to be
   * a holder of the epoch later (a concurrent grant) still gets it.
   */
  private final Map<Rotation, SecretBytes> mine = new HashMap<>();

  /** Which keys went to whom: "tag/epoch/operation-or-final/recipient". */
  private final java.util.Set<String> sent = new java.util.HashSet<>();

  /**
   * Sends every key this device owes: its rotations' candidates to each holder of their epoch,
   * and each epoch key it holds to each holder of that epoch that has not had it from this device.
   * Holders are what the membership log says now, so a device that becomes one later is served.
   */
  private void sendKeys() {
    IdentityKey me = identity.publicKey();
    for (Map.Entry<Rotation, SecretBytes> e : mine.entrySet()) {
      Rotation r = e.getKey();
      for (IdentityKey h : members.holders(r.tag(), r.epoch())) {
        if (h.equals(me)) {
          candidate(r.tag(), r.epoch(), r.operation(), me, e.getValue());
        } else if (markSent(r.tag() + "/" + r.epoch() + "/" + r.operation().hex() + "/" + h)) {
          owe(h, r.tag(), r.epoch(), KeySlip.candidate(r.operation(), e.getValue()));
        }
      }
    }
    for (ClassState c : byName.values()) {
      OptionalInt current = members.currentEpoch(c.tag);
      for (int e = 1; holds(c) && current.isPresent() && e <= current.getAsInt(); e++) {
        Optional<SecretBytes> k = keys.key(c.tag, e);
        if (k.isEmpty()) {
          continue;
        }
        try (SecretBytes key = k.get()) {
          for (IdentityKey h : members.holders(c.tag, e)) {
            if (!h.equals(me) && markSent(c.tag + "/" + e + "/final/" + h)) {
              owe(h, c.tag, e, KeySlip.epoch(key));
            }
          }
        }
      }
    }
  }

  private boolean markSent(String what) {
    if (!sent.add(what)) {
      return false;
    }
    ledger.sent(what);
    return true;
  }

  /** A key this device owes a peer, sealed as soon as the peer's prekey is known. */
  private record Owed(long n, IdentityKey to, ClassTag tag, int epoch, byte[] slip) {}

  private final List<Owed> owed = new ArrayList<>();

  private void owe(IdentityKey to, ClassTag tag, int epoch, byte[] slip) {
    Owed o = new Owed(++owedSeq, to, tag, epoch, slip);
    owed.add(o);
    ledger.owed(o.n(), to, tag, epoch, slip);
    sealOwed();
  }

  private void sealOwed() {
    for (java.util.Iterator<Owed> it = owed.iterator(); it.hasNext(); ) {
      Owed o = it.next();
      SignedPrekey p = peerPrekeys.get(o.to());
      if (p == null) {
        continue;
      }
      try (SecretBytes slip = SecretBytes.copyOf(o.slip())) {
        KeyEnvelope env = KeyEnvelope.seal(identity, p, vault, o.tag(), o.epoch(), slip);
        List<byte[]> sealedTo = envelopes.computeIfAbsent(o.to(), x -> new ArrayList<>());
        sealedTo.add(env.encode());
        ledger.envelope(o.to(), sealedTo.size(), sealedTo.get(sealedTo.size() - 1));
      } catch (dev.mnode.crypto.CryptoException e) {
        continue; // a prekey that does not verify: wait for a better one
      }
      java.util.Arrays.fill(o.slip(), (byte) 0);
      ledger.paid(o.n());
      it.remove();
    }
  }

  /**
   * Drops the key envelopes this device sealed to {@code to} that {@code drop} names (and any that
   * no longer decodes); returns whether any went.
   */
  private boolean dropEnvelopes(IdentityKey to, java.util.function.Predicate<KeyEnvelope> drop) throws StoreException {
    List<byte[]> sealedTo = envelopes.get(to);
    if (sealedTo == null) {
      return false;
    }
    List<byte[]> kept = new ArrayList<>();
    for (byte[] env : sealedTo) {
      try {
        if (!drop.test(KeyEnvelope.decode(env))) {
          kept.add(env);
        }
      } catch (dev.mnode.crypto.CryptoException bad) {
        // not one to keep
      }
    }
    if (kept.size() == sealedTo.size()) {
      return false;
    }
    envelopes.put(to, kept);
    if (!replaying) {
      ledger.envelopes(to, kept);
    }
    return true;
  }

  /** The key envelopes this device sealed to {@code peer}. */
  public synchronized List<byte[]> envelopesFor(IdentityKey peer) {
    return List.copyOf(envelopes.getOrDefault(peer, List.of()));
  }

  /** Receives a membership operation; returns whether the log stored it (with any it released). */
  public synchronized boolean receiveOperation(byte[] encoded) throws StoreException {
    return committing(() -> receiveOperation0(encoded));
  }

  private boolean receiveOperation0(byte[] encoded) throws StoreException {
    ReceiveResult r = members.receive(encoded);
    if (r.status() == ReceiveResult.Status.STORED) {
      for (OperationId id : r.stored()) {
        members.get(id).ifPresent(ledger::op);
      }
      membershipChanged();
      return true;
    }
    return false;
  }

  /**
   * Receives a key envelope addressed to this device: a rotation's candidate key from the author
   * of that rotation, or an epoch key from a device that holds it. Anything else is refused.
   */
  public synchronized Outcome receiveEnvelope(byte[] encoded) throws StoreException {
    return committing(() -> receiveEnvelope0(encoded));
  }

  private Outcome receiveEnvelope0(byte[] encoded) throws StoreException {
    KeyEnvelope env;
    try {
      env = KeyEnvelope.decode(encoded);
    } catch (dev.mnode.crypto.CryptoException e) {
      return reject(Rejection.MALFORMED, e.getMessage());
    }
    if (!env.recipient().equals(identity.publicKey()) || !env.vault().equals(vault)) {
      return reject(Rejection.OTHER_VAULT, "envelope for another device or vault");
    }
    if (members.member(env.sender()).isEmpty()) {
      return reject(Rejection.AUTHOR_NOT_ALLOWED, "envelope from a stranger");
    }
    try (SecretBytes slip = env.open(prekeys)) {
      KeySlip k = KeySlip.parse(slip.copy());
      try (SecretBytes key = k.key()) {
        if (k.operation().isPresent()) {
          Optional<Operation> op = members.get(new OperationId(k.operation().get()));
          if (op.isPresent() && !op.get().author().equals(env.sender())) {
            return reject(Rejection.AUTHOR_NOT_ALLOWED, "candidate key not sent by its rotation's author");
          }
          candidate(env.classTag(), env.epoch(), k.operation().get(), env.sender(), key);
        } else if (members.holders(env.classTag(), env.epoch()).contains(env.sender())) {
          addKey(env.classTag(), env.epoch(), key);
        } else {
          return reject(Rejection.AUTHOR_NOT_ALLOWED, "epoch key from a device that does not hold it");
        }
      }
    } catch (dev.mnode.crypto.CryptoException | IllegalArgumentException e) {
      return reject(Rejection.DOES_NOT_OPEN, e.getMessage());
    }
    membershipChanged();
    return new Outcome(Optional.empty(), "key", 0);
  }

  private void addKey(ClassTag tag, int epoch, SecretBytes key) {
    if (epoch < floor(tag)) {
      return; // erased here for good: a device that still has it may not give it back
    }
    if (keys.add(tag, epoch, key)) {
      ledger.key(tag, epoch, key);
    }
  }

  /**
   * The epoch below which this device takes no key of {@code tag} any more: the one its last
   * retirement reached, unless the newest epoch is now lower (a rotation it counted was cancelled
   * by a concurrent revocation), in which case keys from the newest epoch up are taken again.
   */
  private int floor(ClassTag tag) {
    return Math.min(floors.getOrDefault(tag, 0), members.currentEpoch(tag).orElse(0));
  }

  private void candidate(ClassTag tag, int epoch, Bytes operation, IdentityKey sender, SecretBytes key) {
    if (epoch < floor(tag)) {
      return;
    }
    Map<IdentityKey, SecretBytes> bySender = candidates
        .computeIfAbsent(tag, t -> new HashMap<>())
        .computeIfAbsent(epoch, e -> new HashMap<>())
        .computeIfAbsent(operation, o -> new HashMap<>());
    if (!bySender.containsKey(sender)) {
      bySender.put(sender, SecretBytes.copyOf(key.copy()));
      ledger.candidate(tag, epoch, operation, sender, key);
    }
  }

  /**
   * After the membership or the keys changed: combine the candidates of every rotation this
   * device now has all of, drop what a class it no longer holds left behind, and seal waiting
   * changes under the keys that arrived.
   */
  private void membershipChanged() throws StoreException {
    sendKeys();
    for (Map.Entry<ClassTag, Map<Integer, Map<Bytes, Map<IdentityKey, SecretBytes>>>> t : candidates.entrySet()) {
      for (Map.Entry<Integer, Map<Bytes, Map<IdentityKey, SecretBytes>>> e : t.getValue().entrySet()) {
        List<OperationId> rotations = members.rotations(t.getKey(), e.getKey());
        if (rotations.isEmpty() || keys.key(t.getKey(), e.getKey()).isPresent()) {
          continue;
        }
        TreeMap<Bytes, SecretBytes> all = new TreeMap<>();
        for (OperationId r : rotations) {
          IdentityKey rotationAuthor = members.get(r).map(Operation::author).orElse(null);
          Map<IdentityKey, SecretBytes> sent = e.getValue().get(r.bytes());
          SecretBytes c = sent == null || rotationAuthor == null ? null : sent.get(rotationAuthor);
          if (c == null) {
            all = null;
            break;
          }
          all.put(r.bytes(), c);
        }
        if (all != null) {
          try (SecretBytes key = EpochKeys.combine(t.getKey(), e.getKey(), all)) {
            addKey(t.getKey(), e.getKey(), key);
          }
        }
      }
    }
    sendKeys();
    for (ClassState c : List.copyOf(byName.values())) {
      if (holds(c) && appliedBeyondCut(c)) {
        rederive(c);
      }
    }
    for (ClassState c : List.copyOf(byName.values())) {
      if (!holds(c)) {
        purge(c);
      } else {
        store.addClass(new MemoryClass(c.name));
        if (c.replayOwn) {
          // Its own bundles open only once the keys of their epochs are back: until then it tries
          // again at every change of membership or keys.
          c.replayOwn = false;
          for (byte[] b : List.copyOf(c.bundles.get(author).values())) {
            Outcome o = receive0(b);
            if (o.rejected().filter(r -> r == Rejection.NO_KEY || r == Rejection.DOES_NOT_OPEN).isPresent()) {
              c.replayOwn = true;
            }
          }
        }
        seal(c);
      }
    }
    erasePrekeysIfDue();
  }

  /**
   * Whether this device applied a bundle the membership no longer lets count: of a revoked author
   * beyond the revocation's cut, or sealed at an epoch its author turns out not to have held (a
   * concurrent ungrant or revocation cancelled the rotation it sealed under).
   */
  private boolean appliedBeyondCut(ClassState c) {
    VersionVector applied = c.log.versionVector();
    for (Map.Entry<String, TreeMap<Long, Integer>> e : c.epochs.entrySet()) {
      IdentityKey a = IdentityKey.of(java.util.HexFormat.of().parseHex(e.getKey()));
      for (Map.Entry<Long, Integer> s : e.getValue().headMap(applied.get(e.getKey()), true).entrySet()) {
        if (!members.mayWrite(a, c.tag, s.getValue(), s.getKey())) {
          return true;
        }
      }
    }
    for (Map.Entry<String, Long> e : c.log.versionVector().asMap().entrySet()) {
      if (e.getKey().equals(author)) {
        continue;
      }
      Optional<Map<ClassTag, Long>> cut = members.revocationCut(IdentityKey.of(java.util.HexFormat.of().parseHex(e.getKey())));
      if (cut.isPresent() && e.getValue() > cut.get().getOrDefault(c.tag, 0L)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Rebuilds a class from the bundles that count now: a revocation arrived after this device had
   * applied bundles its cut excludes. The rows become what every device that never saw those
   * bundles has; the excluded bundles are dropped and never passed on.
   */
  private void rederive(ClassState c) throws StoreException {
    if (floors.remove(c.tag) != null && !replaying) {
      // Keys were erased on the strength of what is dropped now: older ones may be needed again.
      // A new prekey makes every peer send again the keys it holds.
      ledger.floor(c.tag, 0);
      prekeys.rotate();
    }
    List<byte[]> kept = new ArrayList<>();
    c.bundles.values().forEach(seqs -> kept.addAll(seqs.values()));
    List<Map.Entry<MemoryId, Changes>> unsealed = List.copyOf(c.unsealed);
    ledger.dropBundles(c.tag, author);
    ClassState fresh = reset(c);
    for (byte[] b : kept) {
      receive0(b);
    }
    for (Map.Entry<MemoryId, Changes> e : unsealed) {
      apply(fresh, author, 0, body(e.getKey(), e.getValue()));
      fresh.unsealed.add(e);
    }
  }

  /**
   * Deletes the class's rows and every one of its documents (forgotten ones and ones still
   * waiting for changes too), and puts a fresh state in its place whose own seq continues (a
   * reused seq would be equivocation).
   */
  private ClassState reset(ClassState c) throws StoreException {
    ledger.deleteAll(dev.mnode.store.SyncFamily.STATE, ReplicaLedger.join(ReplicaLedger.ascii("skip/"), c.tag.tag().toByteArray()));
    MemoryClass mc = new MemoryClass(c.name);
    if (store.counts().getOrDefault(mc, 0L) > 0) {
      List<MemoryId> ids = new ArrayList<>();
      store.scan(Optional.of(mc), m -> ids.add(m.id()));
      for (MemoryId id : ids) {
        ledger.deleteRow(id);
      }
      ledger.commit();
    }
    for (java.util.Iterator<Map.Entry<String, String>> it = docClass.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> e = it.next();
      if (e.getValue().equals(c.name)) {
        MemoryDoc d = docs.remove(e.getKey());
        if (d != null) {
          d.close();
        }
        it.remove();
      }
    }
    ClassState fresh = new ClassState(c.name, c.tag);
    fresh.ownSeq = c.ownSeq;
    fresh.waitingSeq = c.waitingSeq;
    fresh.waitingStored = c.waitingStored;
    byName.put(c.name, fresh);
    byTag.put(c.tag, fresh);
    return fresh;
  }

  /** Forgets everything of a class this device no longer holds: rows, documents, bundles, keys. */
  private void purge(ClassState c) throws StoreException {
    boolean had = c.bundles.keySet().stream().anyMatch(a -> !a.equals(author)) || !c.unsealed.isEmpty()
        || keys.currentEpoch(c.tag).isPresent() || candidates.containsKey(c.tag) || docClass.containsValue(c.name)
        || store.counts().getOrDefault(new MemoryClass(c.name), 0L) > 0;
    if (!had) {
      return; // purged already: nothing of the class is left
    }
    keys.forget(c.tag);
    ledger.dropClass(c.tag);
    ledger.dropBundles(c.tag, author);
    Map<Integer, Map<Bytes, Map<IdentityKey, SecretBytes>>> cs = candidates.remove(c.tag);
    if (cs != null) {
      cs.values().forEach(m -> m.values().forEach(x -> x.values().forEach(SecretBytes::close)));
    }
    ClassState fresh = reset(c);
    // It keeps the bundles it wrote: some may not have reached any peer yet, and without them its
    // later seqs would wait forever.
    TreeMap<Long, byte[]> own = c.bundles.get(author);
    if (own != null) {
      fresh.bundles.put(author, own);
      fresh.replayOwn = true;
    }
  }

  /** Memory documents holding changes whose dependencies have not arrived, and how many: for tests. */
  synchronized Map<String, Integer> heldChanges() {
    Map<String, Integer> out = new TreeMap<>();
    docs.forEach(
        (id, d) -> {
          if (d.heldCount() > 0) {
            out.put(id, d.heldCount());
          }
        });
    return out;
  }

  /** This device's prekey ring: for tests. */
  synchronized PrekeyRing prekeyRing() {
    return prekeys;
  }

  /** The membership log this replica follows: for tests. */
  synchronized MembershipLog members() {
    return members;
  }

  /** The keyring this replica reads and adds to: for tests. */
  synchronized ClassKeyring keyring() {
    return keys;
  }

  /** Refused bundles by reason, since this replica started. */
  public synchronized SortedMap<Rejection, Long> rejections() {
    return new TreeMap<>(rejections);
  }

  /** Per held class: the highest contiguous seq of each author. */
  public synchronized Map<ClassTag, VersionVector> versionVectors() {
    Map<ClassTag, VersionVector> out = new HashMap<>();
    byTag.forEach(
        (t, c) -> {
          if (holds(c)) {
            out.put(t, c.log.versionVector());
          }
        });
    return out;
  }

  /**
   * The sealed bundles a peer with version vectors {@code theirs} lacks, of the classes this device
   * holds and the membership log says the peer holds too: a class is never sent to a device that
   * was not granted it.
   */
  public synchronized List<byte[]> missing(IdentityKey peer, Map<ClassTag, VersionVector> theirs) {
    List<byte[]> out = new ArrayList<>();
    Optional<dev.mnode.crdt.membership.Member> m = members.member(peer);
    byTag.forEach(
        (t, c) -> {
          VersionVector v = theirs.get(t);
          if (v == null || !holds(c) || m.isEmpty() || m.get().revoked() || !m.get().classes().contains(t)) {
            return;
          }
          Snapshot snap = bootstrapFrom(c, v);
          c.bundles.forEach((a, seqs) -> {
            long from = snap == null ? v.get(a) : Math.max(v.get(a), snap.covers().get(a));
            out.addAll(seqs.tailMap(from, false).values());
          });
          if (snap != null && !c.bundles.getOrDefault(snap.author(), new TreeMap<>()).containsKey(snap.first())) {
            out.addAll(snap.sealed());
          }
        });
    return out;
  }

  /**
   * This device's own sealed bundles of class {@code tag} with a seq above {@code after}, by seq
   * (copies): what the relay carrier uploads. Empty if this device does not hold the class.
   */
  public synchronized SortedMap<Long, byte[]> ownBundlesAfter(ClassTag tag, long after) {
    SortedMap<Long, byte[]> out = new TreeMap<>();
    ClassState c = byTag.get(tag);
    if (c == null || !holds(c)) {
      return out;
    }
    c.bundles.getOrDefault(author, new TreeMap<>()).tailMap(after, false).forEach((seq, b) -> out.put(seq, b.clone()));
    return out;
  }

  /**
   * The snapshot to send a peer at {@code theirs} instead of the bundles it covers, or null: when
   * the peer lacks some of them and has not got the snapshot, and this device either lacks some
   * too (it bootstrapped from the snapshot) or they weigh more than the snapshot's parts.
   */
  private static @Nullable Snapshot bootstrapFrom(ClassState c, VersionVector theirs) {
    Snapshot snap = c.latest;
    if (snap == null || theirs.dominates(snap.covers()) || theirs.get(snap.author()) >= snap.first()) {
      return null;
    }
    long lacked = 0;
    for (Map.Entry<String, Long> e : snap.covers().asMap().entrySet()) {
      TreeMap<Long, byte[]> seqs = c.bundles.get(e.getKey());
      for (long seq = theirs.get(e.getKey()) + 1; seq <= e.getValue(); seq++) {
        byte[] b = seqs == null ? null : seqs.get(seq);
        if (b == null) {
          return snap;
        }
        lacked += b.length;
      }
    }
    long parts = snap.sealed().stream().mapToLong(b -> b.length).sum();
    return parts < lacked ? snap : null;
  }

  /**
   * Writes a snapshot of class {@code className}: every memory's document and every forgotten
   * memory's id, covering this device's version vector of the class, sealed as parts in this
   * author's log. A device that lacks what it covers can then bootstrap from it plus the bundles
   * it does not cover, instead of every bundle ever written. Returns the sealed parts.
   *
   * @throws SyncException if this device does not hold the class, lacks its current key, or has
   *     changes of it waiting for that key
   */
  public synchronized List<byte[]> snapshot(String className) throws SyncException, StoreException {
    return committing(() -> snapshot(className, SnapshotPart.TARGET_BYTES));
  }

  /** As {@link #snapshot(String)}, with parts of about {@code partBytes} of documents: for tests. */
  synchronized List<byte[]> snapshot(String className, int partBytes) throws SyncException, StoreException {
    ClassState c = held(className);
    if (!c.unsealed.isEmpty()) {
      throw new SyncException("class " + className + " has changes waiting for its current key; snapshot it later");
    }
    OptionalInt epoch = members.currentEpoch(c.tag);
    Optional<SecretBytes> key = epoch.isEmpty() ? Optional.empty() : keys.key(c.tag, epoch.getAsInt());
    if (key.isEmpty()) {
      throw new SyncException("this device lacks the current key of class " + className);
    }
    VersionVector covers = c.log.versionVector();
    if (covers.get(author) != c.ownSeq) {
      key.get().close();
      throw new IllegalStateException("own log at " + covers.get(author) + " but own seq " + c.ownSeq);
    }
    Map<String, MemoryDoc> view = new HashMap<>();
    docClass.forEach((id, cls) -> {
      if (cls.equals(c.name) && docs.containsKey(id) && !c.tombstones.contains(id)) {
        view.put(id, docs.get(id));
      }
    });
    List<byte[]> out = new ArrayList<>();
    try (SecretBytes k = key.get()) {
      List<SnapshotPart> parts = SnapshotPart.split(covers, view, c.tombstones, partBytes);
      for (SnapshotPart part : parts) {
        byte[] body = part.encode();
        long seq = ++c.ownSeq;
        BundleHeader header = new BundleHeader(vault, c.tag, identity.publicKey(), seq, epoch.getAsInt(), clock.instant());
        byte[] sealed = SealedBundle.seal(identity, header, k, body).encode();
        c.bundles.computeIfAbsent(author, a -> new TreeMap<>()).put(seq, sealed);
        ledger.bundle(c.tag, author, seq, sealed);
        try {
          c.log.offer(new LogEntry(author, seq, ByteString.copyOf(body)));
        } catch (EquivocationException | PendingLimitException ex) {
          throw new IllegalStateException("own log refused own seq " + seq, ex);
        }
        out.add(sealed);
      }
    } catch (dev.mnode.crdt.MalformedException e) {
      throw new SyncException("cannot snapshot " + className + ": " + e.getMessage(), e);
    }
    c.latest = new Snapshot(author, covers.get(author) + 1, covers, List.copyOf(out));
    return out;
  }

  // ---- compaction: forgetting is final ----

  /** What compacting one class did: its new epoch, the snapshot's parts, bundles dropped, keys erased. */
  public record Compacted(String className, int epoch, int parts, int droppedBundles, int retiredKeys) {}

  /** How often this device dropped kept bundles or erased keys: carriers holding copies follow it. */
  private long compactions;
  /** Whether old prekeys are to be erased once this device holds the newest key of every class. */
  private boolean prekeyErasureDue;
  /** By class, the epoch below which every key was erased here: such keys are never taken again. */
  private final Map<ClassTag, Integer> floors = new HashMap<>();

  /**
   * Compacts every held class with a memory forgotten since its last compaction ({@link
   * #compact(String)}); classes with changes still waiting for a key are left for later.
   */
  public synchronized List<Compacted> compactForgotten() throws StoreException {
    return committing(() -> {
      List<Compacted> out = new ArrayList<>();
      for (ClassState c : List.copyOf(byName.values())) {
        if (holds(c) && c.unsealed.isEmpty() && hasForgotten(c) && currentKey(c)) {
          try {
            out.add(compact0(c.name));
          } catch (SyncException e) {
            continue; // lost the class or its key meanwhile: the next compaction tries again
          }
        }
      }
      return out;
    });
  }

  /**
   * Makes forgetting final in class {@code className}: a rotate operation starts a new epoch with
   * the same holders (each gets its key), a snapshot of the live memories (forgotten ones only as
   * ids) is sealed under it, every bundle the snapshot covers is dropped here, and the keys of the
   * epochs nothing kept needs are erased. Each other device does the same when the snapshot
   * reaches it; after that, no kept key opens a bundle that held a forgotten memory.
   *
   * @throws SyncException if this device does not hold the class, lacks its current key, or has
   *     changes of it waiting for that key
   */
  public synchronized Compacted compact(String className) throws SyncException, StoreException {
    return committing(() -> compact0(className));
  }

  private Compacted compact0(String className) throws SyncException, StoreException {
    ClassState c = held(className);
    if (!c.unsealed.isEmpty() || !currentKey(c)) {
      throw new SyncException("class " + className + " waits for its current key; compact it later");
    }
    authored(() -> members.rotate(identity, List.of(c.tag)));
    ClassState now = held(className);
    int epoch = members.currentEpoch(now.tag).orElseThrow();
    List<byte[]> parts = snapshot(className, SnapshotPart.TARGET_BYTES);
    // Its own forgotten documents become tombstones, as on every device applying the snapshot.
    for (String id : forgottenDocs(now)) {
      docs.remove(id).close();
      now.tombstones.add(id);
    }
    int before = keyCount(now);
    int dropped = prune(now, now.latest.covers());
    return new Compacted(className, epoch, parts.size(), dropped, before - keyCount(now));
  }

  private boolean hasForgotten(ClassState c) {
    return !forgottenDocs(c).isEmpty();
  }

  /** The memories of {@code c} forgotten since its last compaction: documents held, not tombstones yet. */
  private List<String> forgottenDocs(ClassState c) {
    List<String> out = new ArrayList<>();
    docClass.forEach((id, cls) -> {
      MemoryDoc d = docs.get(id);
      if (cls.equals(c.name) && d != null && d.isForgotten()) {
        out.add(id);
      }
    });
    return out;
  }

  private boolean currentKey(ClassState c) {
    OptionalInt epoch = members.currentEpoch(c.tag);
    Optional<SecretBytes> k = epoch.isEmpty() ? Optional.empty() : keys.key(c.tag, epoch.getAsInt());
    k.ifPresent(SecretBytes::close);
    return k.isPresent();
  }

  private int keyCount(ClassState c) {
    int n = 0;
    OptionalInt epoch = members.currentEpoch(c.tag);
    for (int e = 1; epoch.isPresent() && e <= epoch.getAsInt(); e++) {
      Optional<SecretBytes> k = keys.key(c.tag, e);
      if (k.isPresent()) {
        k.get().close();
        n++;
      }
    }
    return n;
  }

  /**
   * Drops every kept bundle of {@code c} that {@code covers} covers (a complete snapshot stands for
   * them), then erases the keys nothing kept needs. Returns how many bundles went.
   */
  private int prune(ClassState c, VersionVector covers) throws StoreException {
    int dropped = 0;
    for (Map.Entry<String, TreeMap<Long, byte[]>> e : c.bundles.entrySet()) {
      SortedMap<Long, byte[]> head = e.getValue().headMap(covers.get(e.getKey()), true);
      if (!replaying) {
        for (Long seq : head.keySet()) {
          ledger.deleteBundle(c.tag, e.getKey(), seq);
        }
      }
      dropped += head.size();
      head.clear();
      TreeMap<Long, Integer> epochs = c.epochs.get(e.getKey());
      if (epochs != null) {
        epochs.headMap(covers.get(e.getKey()), true).clear();
      }
    }
    if (!c.skipped.dominates(covers)) {
      c.skipped = c.skipped.merge(covers);
      if (!replaying) {
        ledger.skip(c.tag, c.skipped);
      }
    }
    // While replaying at open, what was erased is erased already, and bundles not replayed yet may
    // still need a key.
    int retired = replaying ? 0 : retire(c);
    if ((dropped > 0 || retired > 0) && !replaying) {
      ledger.compactions(++compactions);
    }
    return dropped;
  }

  /**
   * Erases the keys of the epochs of {@code c} below the oldest one a kept bundle, a collected
   * snapshot part or the newest epoch needs, with the candidates that made them, the keys still
   * owed and the envelopes this device sealed of them. Then this device's prekeys are due to be
   * replaced, so that envelopes of those epochs copied anywhere no longer open either. Nothing is
   * erased before the newest key is here. Returns how many epoch keys went.
   */
  private int retire(ClassState c) throws StoreException {
    OptionalInt current = members.currentEpoch(c.tag);
    if (current.isEmpty() || !currentKey(c)) {
      return 0;
    }
    int needed = Math.min(current.getAsInt(), oldestKeptEpoch(c));
    int retired = keys.retireBefore(c.tag, needed);
    boolean any = retired > 0;
    if (needed > floors.getOrDefault(c.tag, 0)) {
      floors.put(c.tag, needed);
      ledger.floor(c.tag, needed);
    }
    return retireBelow(c, needed, retired, any);
  }

  /** The oldest epoch of a bundle of {@code c} kept here or a snapshot part collected (MAX_VALUE: none). */
  private int oldestKeptEpoch(ClassState c) throws StoreException {
    int needed = Integer.MAX_VALUE;
    for (Map.Entry<String, TreeMap<Long, byte[]>> e : c.bundles.entrySet()) {
      if (e.getKey().equals(author)) {
        for (byte[] b : e.getValue().values()) {
          try {
            needed = Math.min(needed, SealedBundle.decodeKept(b).header().epoch());
          } catch (BundleException bad) {
            throw new StoreException("a kept bundle is damaged: " + bad.getMessage(), bad);
          }
        }
      } else {
        TreeMap<Long, Integer> epochs = c.epochs.get(e.getKey());
        for (Long seq : e.getValue().keySet()) {
          Integer at = epochs == null ? null : epochs.get(seq);
          needed = Math.min(needed, at == null ? 1 : at);
        }
      }
    }
    for (TreeMap<Integer, Part> group : c.parts.values()) {
      for (Part p : group.values()) {
        needed = Math.min(needed, p.epoch());
      }
    }
    return needed;
  }

  /**
   * With the epoch keys of {@code c} below {@code needed} erased ({@code retired} of them): erases
   * the candidates that made them, the keys still owed of them and the envelopes this device sealed
   * of them, then makes old prekeys due for erasure. Returns {@code retired}.
   */
  private int retireBelow(ClassState c, int needed, int retired, boolean any) throws StoreException {
    Map<Integer, Map<Bytes, Map<IdentityKey, SecretBytes>>> cs = candidates.get(c.tag);
    if (cs != null) {
      Map<Integer, Map<Bytes, Map<IdentityKey, SecretBytes>>> old = new TreeMap<>(cs).headMap(needed);
      for (Integer e : old.keySet()) {
        cs.remove(e).values().forEach(m -> m.values().forEach(SecretBytes::close));
        any = true;
      }
    }
    for (java.util.Iterator<Map.Entry<Rotation, SecretBytes>> it = mine.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Rotation, SecretBytes> e = it.next();
      if (e.getKey().tag().equals(c.tag) && e.getKey().epoch() < needed) {
        e.getValue().close();
        it.remove();
        any = true;
      }
    }
    for (java.util.Iterator<Owed> it = owed.iterator(); it.hasNext(); ) {
      Owed o = it.next();
      if (o.tag().equals(c.tag) && o.epoch() < needed) {
        java.util.Arrays.fill(o.slip(), (byte) 0);
        ledger.paid(o.n());
        it.remove();
        any = true;
      }
    }
    for (IdentityKey to : List.copyOf(envelopes.keySet())) {
      any |= dropEnvelopes(to, k -> k.classTag().equals(c.tag) && k.epoch() < needed);
    }
    if (any && !replaying) {
      ledger.retireKeys(c.tag, needed);
      prekeyErasureDue = true;
      ledger.prekeyErasureDue(true);
      erasePrekeysIfDue();
    }
    return retired;
  }

  /**
   * After keys were retired: once this device holds the newest key of every class it holds (so no
   * envelope it still needs is on its way to the current prekey), it makes a new prekey and erases
   * every other. Peers that learn the new prekey send again the keys this device may still need.
   */
  private void erasePrekeysIfDue() throws StoreException {
    if (!prekeyErasureDue || replaying) {
      return;
    }
    for (ClassState c : byName.values()) {
      if (holds(c) && !currentKey(c)) {
        return;
      }
    }
    SignedPrekey fresh = prekeys.rotate();
    prekeys.eraseAllBut(java.util.Set.of(fresh.id()));
    try (SecretBytes export = prekeys.export()) {
      ledger.prekeys(export, true);
    }
    savedPrekeys = prekeys.retained();
    prekeyErasureDue = false;
    ledger.prekeyErasureDue(false);
  }

  /** How often this device dropped kept bundles or erased keys (a carrier keeping copies follows it). */
  public synchronized long compactions() {
    return compactions;
  }

  /** The digest of the rows of class {@code className}, as this device sees them. */
  public synchronized Digest digest(String className) throws StoreException {
    return StateDigests.of(store, className);
  }

  /** Bundle body of one memory's changes: kind u8 (0) | memory id (16) | Automerge changes. */
  private static byte[] body(MemoryId id, Changes changes) {
    byte[] c = changes.toByteArray();
    return ByteBuffer.allocate(17 + c.length).put(CHANGES).put(id.toBytes()).put(c).array();
  }

  @Override
  public synchronized void close() {
    if (owns) {
      keys.close();
      prekeys.close();
    }
    docs.values().forEach(MemoryDoc::close);
    docs.clear();
    candidates.values().forEach(t -> t.values().forEach(m -> m.values().forEach(x -> x.values().forEach(SecretBytes::close))));
    candidates.clear();
    mine.values().forEach(SecretBytes::close);
    mine.clear();
  }
}
