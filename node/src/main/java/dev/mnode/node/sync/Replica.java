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
import dev.mnode.crdt.MemoryFields;
import dev.mnode.crdt.MemoryState;
import dev.mnode.crdt.OfferResult;
import dev.mnode.crdt.PendingLimitException;
import dev.mnode.crdt.VersionVector;
import dev.mnode.crypto.BundleException;
import dev.mnode.crypto.BundleHeader;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
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

  /** Who may write a class at an epoch: the membership log answers this. */
  @FunctionalInterface
  public interface Members {
    boolean mayWrite(IdentityKey author, ClassTag tag, int epoch);
  }

  private static final class ClassState {
    final String name;
    final ClassTag tag;
    final AuthorLog log = CrdtModule.inMemoryAuthorLog(CrdtModule.DEFAULT_MAX_PENDING_PER_AUTHOR);
    /** Every sealed bundle received or written, by author and seq, to pass on to peers. */
    final Map<String, TreeMap<Long, byte[]>> bundles = new HashMap<>();
    long ownSeq;

    ClassState(String name, ClassTag tag) {
      this.name = name;
      this.tag = tag;
    }
  }

  private final MemoryStore store;
  private final DeviceIdentity identity;
  private final String author;
  private final ActorId actor;
  private final Bytes vault;
  private final ClassKeyring keys;
  private final Members members;
  private final Clock clock;
  private final Map<String, ClassState> byName = new HashMap<>();
  private final Map<ClassTag, ClassState> byTag = new HashMap<>();
  private final Map<String, MemoryDoc> docs = new HashMap<>();
  private final Map<Rejection, Long> rejections = new EnumMap<>(Rejection.class);

  /**
   * A replica over {@code store} for the classes named in {@code classes}, whose epoch keys
   * {@code keys} holds (it takes ownership of neither).
   */
  public Replica(
      MemoryStore store,
      DeviceIdentity identity,
      Bytes vault,
      SecretBytes vaultSecret,
      List<String> classes,
      ClassKeyring keys,
      Members members,
      Clock clock)
      throws StoreException {
    this.store = store;
    this.identity = identity;
    this.author = identity.publicKey().key().hex();
    this.actor = ActorId.ofDevice(identity.publicKey().key().toByteArray());
    this.vault = vault;
    this.keys = keys;
    this.members = members;
    this.clock = clock;
    for (String c : classes) {
      store.addClass(new MemoryClass(c));
      ClassState s = new ClassState(c, ClassTag.of(vaultSecret, c));
      byName.put(c, s);
      byTag.put(s.tag, s);
    }
  }

  public IdentityKey device() {
    return identity.publicKey();
  }

  /** Creates {@code m} (its id, fields and times), in its class, which this device must hold. */
  public synchronized Memory create(Memory m) throws StoreException, SyncException {
    ClassState c = held(m.memoryClass().name());
    MemoryDoc doc = CrdtModule.newMemoryDoc(actor);
    Changes changes = doc.create(m.id().toString(), fields(m));
    docs.put(m.id().toString(), doc);
    emit(c, m.id(), changes);
    return materialize(m.id(), doc).orElseThrow();
  }

  /** Applies {@code edit} to memory {@code id}; empty when there is no such memory here. */
  public synchronized Optional<Memory> update(MemoryId id, MemoryEdit edit) throws StoreException, SyncException {
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

  private void emit(ClassState c, MemoryId id, Changes changes) throws SyncException {
    OptionalInt epoch = keys.currentEpoch(c.tag);
    if (epoch.isEmpty()) {
      throw new SyncException("no key for class " + c.name);
    }
    byte[] body = body(id, changes);
    long seq = ++c.ownSeq;
    BundleHeader header = new BundleHeader(vault, c.tag, identity.publicKey(), seq, epoch.getAsInt(), clock.instant());
    SealedBundle sealed;
    try (SecretBytes key = keys.key(c.tag, epoch.getAsInt()).orElseThrow()) {
      sealed = SealedBundle.seal(identity, header, key, body);
    }
    c.bundles.computeIfAbsent(author, a -> new TreeMap<>()).put(seq, sealed.encode());
    try {
      c.log.offer(new LogEntry(author, seq, ByteString.copyOf(body)));
    } catch (EquivocationException | PendingLimitException e) {
      throw new IllegalStateException("own log refused own seq " + seq, e);
    }
  }

  /** Checks, opens and applies one received bundle; a refusal is counted and returned, never thrown. */
  public synchronized Outcome receive(byte[] bytes) throws StoreException {
    SealedBundle b;
    try {
      b = SealedBundle.decode(bytes);
    } catch (BundleException e) {
      return reject(e.reason() == BundleException.Reason.BAD_SIGNATURE ? Rejection.BAD_SIGNATURE : Rejection.MALFORMED, e.getMessage());
    }
    BundleHeader h = b.header();
    if (!h.vault().equals(vault)) {
      return reject(Rejection.OTHER_VAULT, "bundle of another vault");
    }
    ClassState c = byTag.get(h.classTag());
    if (c == null) {
      return reject(Rejection.CLASS_NOT_HELD, "bundle of a class this device does not hold");
    }
    if (!members.mayWrite(h.author(), h.classTag(), h.epoch())) {
      return reject(Rejection.AUTHOR_NOT_ALLOWED, "author " + h.author() + " may not write this class at epoch " + h.epoch());
    }
    byte[] body;
    try {
      body = b.open(keys);
    } catch (BundleException e) {
      return reject(e.reason() == BundleException.Reason.NO_KEY ? Rejection.NO_KEY : Rejection.DOES_NOT_OPEN, e.getMessage());
    }
    String from = h.author().key().hex();
    OfferResult r;
    try {
      r = c.log.offer(new LogEntry(from, h.seq(), ByteString.copyOf(body)));
    } catch (EquivocationException e) {
      return reject(Rejection.EQUIVOCATION, e.getMessage());
    } catch (PendingLimitException e) {
      return reject(Rejection.TOO_MANY_PENDING, e.getMessage());
    }
    if (r.status() == OfferResult.Status.DUPLICATE) {
      return new Outcome(Optional.empty(), "duplicate", 0);
    }
    c.bundles.computeIfAbsent(from, a -> new TreeMap<>()).putIfAbsent(h.seq(), bytes.clone());
    int applied = 0;
    for (LogEntry e : r.delivered()) {
      String failure = apply(c, e.payload().toByteArray());
      if (failure != null) {
        // Signed by a member and sealed under the class key, yet not valid changes: counted, skipped.
        reject(Rejection.BAD_CHANGES, failure);
      } else {
        applied++;
      }
    }
    return new Outcome(Optional.empty(), r.status().name().toLowerCase(java.util.Locale.ROOT), applied);
  }

  private String apply(ClassState c, byte[] body) throws StoreException {
    ByteBuffer in = ByteBuffer.wrap(body);
    if (body.length < 16) {
      return "bundle body too short";
    }
    byte[] idBytes = new byte[16];
    in.get(idBytes);
    MemoryId id = MemoryId.fromBytes(idBytes, 0);
    byte[] rest = new byte[in.remaining()];
    in.get(rest);
    MemoryDoc doc = docs.computeIfAbsent(id.toString(), x -> CrdtModule.newMemoryDoc(actor));
    try {
      doc.applyChanges(Changes.parse(rest));
      Optional<MemoryState> state = doc.materialize();
      if (state.isPresent() && !state.get().memoryClass().equals(c.name)) {
        return "changes of a " + state.get().memoryClass() + " memory in a " + c.name + " bundle";
      }
    } catch (CrdtException e) {
      return "bad changes for " + id + ": " + e.getMessage();
    }
    materialize(id, doc);
    return null;
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
      if (doc.isForgotten()) {
        store.delete(id);
      }
      return Optional.empty();
    }
    Memory m = memory(state.get());
    store.put(m);
    return Optional.of(m);
  }

  private ClassState held(String className) throws SyncException {
    ClassState c = byName.get(className);
    if (c == null) {
      throw new SyncException("this device does not hold class " + className);
    }
    return c;
  }

  private Outcome reject(Rejection r, String detail) {
    rejections.merge(r, 1L, Long::sum);
    return Outcome.rejected(r, detail);
  }

  /** Refused bundles by reason, since this replica started. */
  public synchronized SortedMap<Rejection, Long> rejections() {
    return new TreeMap<>(rejections);
  }

  /** Per held class: the highest contiguous seq of each author. */
  public synchronized Map<ClassTag, VersionVector> versionVectors() {
    Map<ClassTag, VersionVector> out = new HashMap<>();
    byTag.forEach((t, c) -> out.put(t, c.log.versionVector()));
    return out;
  }

  /** The sealed bundles of the classes this device holds that a peer with {@code theirs} lacks. */
  public synchronized List<byte[]> missing(Map<ClassTag, VersionVector> theirs) {
    List<byte[]> out = new ArrayList<>();
    byTag.forEach(
        (t, c) -> {
          VersionVector v = theirs.get(t);
          if (v == null) {
            return; // they do not hold this class: never send it
          }
          c.bundles.forEach((a, seqs) -> out.addAll(seqs.tailMap(v.get(a), false).values()));
        });
    return out;
  }

  /** The digest of the rows of class {@code className}, as this device sees them. */
  public synchronized Digest digest(String className) throws StoreException {
    List<MemoryState> states = new ArrayList<>();
    store.scan(Optional.of(new MemoryClass(className)), m -> states.add(state(m)));
    return Digest.of(states);
  }

  /** Bundle body: memory id (16) | Automerge changes. */
  private static byte[] body(MemoryId id, Changes changes) {
    byte[] c = changes.toByteArray();
    return ByteBuffer.allocate(16 + c.length).put(id.toBytes()).put(c).array();
  }

  static MemoryFields fields(Memory m) {
    return MemoryFields.builder(m.text(), m.created())
        .memoryClass(m.memoryClass().name())
        .tags(m.tags())
        .importance(m.importance())
        .source(m.source())
        .updated(m.updated())
        .pinned(m.pinned())
        .metadata(m.metadata())
        .links(m.links().stream().map(MemoryId::toString).toList())
        .build();
  }

  static Memory memory(MemoryState s) {
    return Memory.builder(MemoryId.parse(s.id()), s.text(), s.created())
        .memoryClass(new MemoryClass(s.memoryClass()))
        .tags(s.tags())
        .importance(s.importance())
        .source(s.source())
        .updated(s.updated())
        .pinned(s.pinned())
        .metadata(s.metadata())
        .links(s.links().stream().map(MemoryId::parse).toList())
        .build();
  }

  static MemoryState state(Memory m) {
    return new MemoryState(
        m.id().toString(), m.text(), m.memoryClass().name(), m.tags(), m.importance(), m.source(), m.created(),
        m.updated(), m.pinned(), m.metadata(), m.links().stream().map(MemoryId::toString).toList());
  }

  @Override
  public synchronized void close() {
    docs.values().forEach(MemoryDoc::close);
    docs.clear();
  }
}
