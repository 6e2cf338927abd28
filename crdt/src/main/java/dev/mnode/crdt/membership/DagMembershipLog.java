package dev.mnode.crdt.membership;

import dev.mnode.crdt.MalformedException;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@link MembershipLog} in the heap: a {@link Dag} of the stored operations, the operations held
 * for missing parents, and the ids of rejected ones. Storing an operation costs a replay of its
 * causal past and of everything, O(n) each, so building a log of n operations is O(n^2): fine for
 * thousands. A node that persists the log rebuilds it by receiving every stored operation again.
 *
 * <p>Thread-safe: every method holds this instance's lock.
 */
final class DagMembershipLog implements MembershipLog {
  /** How many ids of operations rejected for what they say are remembered, to reject their children. */
  static final int MAX_REMEMBERED_REJECTIONS = 4096;

  private final Bytes vault;
  private final OperationId genesis;
  private final int maxHeld;

  /** The stored operations. Guarded by this. */
  private final Dag dag;
  /** Operations waiting for a parent, in arrival order. Guarded by this. */
  private final LinkedHashMap<OperationId, Operation> held = new LinkedHashMap<>();
  /** Ids rejected for their content (never for a bad signature), oldest first. Guarded by this. */
  private final LinkedHashMap<OperationId, Rejection> rejected =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<OperationId, Rejection> eldest) {
          return size() > MAX_REMEMBERED_REJECTIONS;
        }
      };
  /** Guarded by this. */
  private final EnumMap<Rejection, Integer> rejections = new EnumMap<>(Rejection.class);
  /** Who held each epoch, revoked devices included; cleared when an operation is stored. Guarded by this. */
  private final Map<EpochRef, SortedSet<IdentityKey>> heldCache = new HashMap<>();
  /** The same without the devices revoked now. Guarded by this. */
  private final Map<EpochRef, SortedSet<IdentityKey>> holdersCache = new HashMap<>();

  private record EpochRef(ClassTag tag, int epoch) {}

  DagMembershipLog(Operation genesis, int maxHeld) throws MembershipException {
    if (genesis.kind() != Operation.Kind.GENESIS) {
      throw new IllegalArgumentException("a membership log starts from a GENESIS, not " + genesis.kind());
    }
    if (maxHeld < 0) {
      throw new IllegalArgumentException("maxHeld is negative: " + maxHeld);
    }
    if (!genesis.verifySignature()) {
      throw new MembershipException(Rejection.BAD_SIGNATURE, "the genesis is not signed by its author");
    }
    this.vault = genesis.vault();
    this.genesis = genesis.id();
    this.maxHeld = maxHeld;
    Map<ClassTag, Integer> starts = new LinkedHashMap<>();
    genesis.classes().forEach(c -> starts.put(c, 1));
    this.dag = new Dag(genesis, starts);
  }

  @Override
  public Bytes vault() {
    return vault;
  }

  @Override
  public OperationId genesis() {
    return genesis;
  }

  @Override
  public ReceiveResult receive(byte[] encoded) {
    Operation op;
    try {
      op = Operation.decode(encoded);
    } catch (MalformedException e) {
      synchronized (this) {
        rejections.merge(Rejection.MALFORMED, 1, Integer::sum);
      }
      return ReceiveResult.rejected(Rejection.MALFORMED, e.getMessage() == null ? "malformed" : e.getMessage());
    }
    return receive(op);
  }

  @Override
  public synchronized ReceiveResult receive(Operation op) {
    OperationId id = op.id();
    if (dag.contains(id) || held.containsKey(id)) {
      return ReceiveResult.of(ReceiveResult.Status.DUPLICATE);
    }
    if (!op.vault().equals(vault)) {
      return reject(null, Rejection.WRONG_VAULT, op + " belongs to vault " + op.vault() + ", not " + vault);
    }
    @Nullable Rejection before = rejected.get(id);
    if (before != null) {
      return reject(null, before, op + " was rejected before");
    }
    if (!op.verifySignature()) {
      return reject(null, Rejection.BAD_SIGNATURE, op + " is not signed by its author");
    }
    if (op.kind() == Operation.Kind.GENESIS) {
      return reject(id, Rejection.SECOND_GENESIS, op + " is a genesis other than this log's " + genesis);
    }
    for (OperationId p : op.parents()) {
      if (rejected.containsKey(p)) {
        return reject(id, Rejection.PARENT_REJECTED, op + " names the rejected operation " + p);
      }
    }
    if (!dag.containsAll(op.parents())) {
      if (held.size() >= maxHeld) {
        return reject(null, Rejection.HELD_LIMIT, maxHeld + " operations already wait for parents; refused " + op);
      }
      held.put(id, op);
      return ReceiveResult.of(ReceiveResult.Status.HELD);
    }
    try {
      store(op);
    } catch (MembershipException e) {
      ReceiveResult rejection = reject(id, e.reason(), e.getMessage());
      releaseHeld(new ArrayList<>()); // its held descendants are rejected now too
      return rejection;
    }
    List<OperationId> stored = new ArrayList<>(List.of(id));
    releaseHeld(stored);
    return new ReceiveResult(ReceiveResult.Status.STORED, Optional.empty(), "", stored);
  }

  /** Stores or rejects every held operation whose parents are now all stored or one rejected. */
  private void releaseHeld(List<OperationId> stored) {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Operation op : List.copyOf(held.values())) {
        @Nullable OperationId badParent = op.parents().stream().filter(rejected::containsKey).findFirst().orElse(null);
        if (badParent != null) {
          held.remove(op.id());
          reject(op.id(), Rejection.PARENT_REJECTED, op + " names the rejected operation " + badParent);
          progress = true;
        } else if (dag.containsAll(op.parents())) {
          held.remove(op.id());
          try {
            store(op);
            stored.add(op.id());
          } catch (MembershipException e) {
            reject(op.id(), e.reason(), e.getMessage());
          }
          progress = true;
        }
      }
    }
  }

  private ReceiveResult reject(@Nullable OperationId remember, Rejection reason, @Nullable String detail) {
    if (remember != null) {
      rejected.put(remember, reason);
    }
    rejections.merge(reason, 1, Integer::sum);
    return ReceiveResult.rejected(reason, detail == null ? reason.name() : detail);
  }

  /** Validates {@code op}, whose parents are all stored, against its causal past and stores it. */
  private void store(Operation op) throws MembershipException {
    BitSet ancestors = dag.closure(op.parents());
    Map<ClassTag, Integer> starts = dag.replay(ancestors).validate(op);
    dag.add(op, ancestors, starts);
    heldCache.clear();
    holdersCache.clear();
  }

  @Override
  public synchronized List<Member> members() {
    return dag.current().members();
  }

  @Override
  public synchronized Optional<Member> member(IdentityKey device) {
    return Optional.ofNullable(dag.current().member(device));
  }

  @Override
  public synchronized OptionalInt currentEpoch(ClassTag tag) {
    int e = dag.current().epoch(tag);
    return e == 0 ? OptionalInt.empty() : OptionalInt.of(e);
  }

  @Override
  public synchronized SortedSet<IdentityKey> holders(ClassTag tag, int epoch) {
    return holdersCache.computeIfAbsent(new EpochRef(tag, epoch), r -> {
      TreeSet<IdentityKey> out = new TreeSet<>(heldBy(r));
      out.removeIf(dag.current()::isRevoked);
      return Collections.unmodifiableSortedSet(out);
    });
  }

  /** Returns who held the class at the epoch, in the causal sense, revoked since or not. */
  private SortedSet<IdentityKey> heldBy(EpochRef ref) {
    return heldCache.computeIfAbsent(ref, r -> computeHeldBy(r.tag(), r.epoch()));
  }

  private SortedSet<IdentityKey> computeHeldBy(ClassTag tag, int epoch) {
    @Nullable TreeMap<Integer, TreeSet<OperationId>> rotations = dag.current().rotations(tag);
    if (rotations == null || !rotations.containsKey(epoch)) {
      return Collections.emptySortedSet();
    }
    // 1. Whom the epoch's rotations kept: the state of their causal closure.
    BitSet closure = dag.closure(rotations.get(epoch));
    TreeSet<IdentityKey> out = new TreeSet<>(dag.replay(closure).holdersOf(tag));
    // 2. Whom it was granted to before the next epoch started.
    Map.@Nullable Entry<Integer, TreeSet<OperationId>> next = rotations.higherEntry(epoch);
    if (next != null) {
      for (OperationId r : next.getValue()) {
        out.addAll(dag.replay(dag.get(r).ancestors()).holdersOf(tag));
      }
    }
    // 3. Who holds it now. Devices revoked since stay: mayWrite bounds them by their cut.
    out.addAll(dag.current().holdersOf(tag));
    return Collections.unmodifiableSortedSet(out);
  }

  @Override
  public synchronized boolean mayWrite(IdentityKey author, ClassTag tag, int epoch, long seq) {
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1: " + seq);
    }
    if (!heldBy(new EpochRef(tag, epoch)).contains(author)) {
      return false;
    }
    @Nullable SortedMap<ClassTag, Long> cut = dag.current().revocationCut(author);
    return cut == null || seq <= cut.getOrDefault(tag, 0L);
  }

  @Override
  public synchronized Optional<Map<ClassTag, Long>> revocationCut(IdentityKey device) {
    return Optional.ofNullable(dag.current().revocationCut(device));
  }

  @Override
  public synchronized List<OperationId> rotations(ClassTag tag, int epoch) {
    @Nullable TreeMap<Integer, TreeSet<OperationId>> rotations = dag.current().rotations(tag);
    @Nullable TreeSet<OperationId> ids = rotations == null ? null : rotations.get(epoch);
    return ids == null ? List.of() : List.copyOf(ids);
  }

  @Override
  public synchronized Map<ClassTag, Integer> epochsStartedBy(OperationId id) {
    @Nullable Node n = dag.get(id);
    return n == null ? Map.of() : n.starts();
  }

  @Override
  public synchronized List<OperationId> heads() {
    return dag.heads();
  }

  @Override
  public synchronized Optional<Operation> get(OperationId id) {
    @Nullable Node n = dag.get(id);
    return n == null ? Optional.empty() : Optional.of(n.op());
  }

  @Override
  public synchronized List<Operation> missingFor(Collection<OperationId> peerHeads) {
    BitSet known = dag.closure(peerHeads);
    return dag.order().stream().filter(n -> !known.get(n.index())).map(Node::op).toList();
  }

  @Override
  public synchronized int size() {
    return dag.size();
  }

  @Override
  public synchronized int heldCount() {
    return held.size();
  }

  @Override
  public synchronized int rejectedCount(Rejection reason) {
    return rejections.getOrDefault(reason, 0);
  }

  @Override
  public synchronized Operation addDevice(DeviceIdentity author, IdentityKey device, String name, Collection<ClassTag> classes)
      throws MembershipException {
    return write(author, Operation.Kind.ADD_DEVICE, device, name, classes);
  }

  @Override
  public synchronized Operation grant(DeviceIdentity author, IdentityKey device, Collection<ClassTag> classes)
      throws MembershipException {
    return write(author, Operation.Kind.GRANT, device, "", classes);
  }

  @Override
  public synchronized Operation ungrant(DeviceIdentity author, IdentityKey device, Collection<ClassTag> classes)
      throws MembershipException {
    return write(author, Operation.Kind.UNGRANT, device, "", classes);
  }

  @Override
  public synchronized Operation revoke(DeviceIdentity author, IdentityKey device, Map<ClassTag, Long> cut)
      throws MembershipException {
    return write(author, Operation.Kind.REVOKE, device, "", List.of(), cut);
  }

  @Override
  public synchronized Operation rotate(DeviceIdentity author, Collection<ClassTag> classes) throws MembershipException {
    return write(author, Operation.Kind.ROTATE, author.publicKey(), "", classes);
  }

  @Override
  public synchronized Operation rename(DeviceIdentity author, IdentityKey device, String name) throws MembershipException {
    return write(author, Operation.Kind.RENAME, device, name, List.of());
  }

  private Operation write(DeviceIdentity author, Operation.Kind kind, IdentityKey subject, String name, Collection<ClassTag> classes)
      throws MembershipException {
    return write(author, kind, subject, name, classes, Map.of());
  }

  private Operation write(
      DeviceIdentity author, Operation.Kind kind, IdentityKey subject, String name, Collection<ClassTag> classes,
      Map<ClassTag, Long> cut) throws MembershipException {
    Operation op = Operation.sign(author, vault, kind, dag.heads(), subject, name, classes, cut);
    store(op);
    return op;
  }
}
