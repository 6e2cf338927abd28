package dev.mnode.crdt.membership;

import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.IdentityKey;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The stored operations of a membership log, their replay order and the states they replay to.
 * Each node keeps its ancestor set as a bit set, so the state of any causal past is one replay of
 * the global order restricted to that set: the min-id topological order of a set, restricted to a
 * down-closed subset, is that subset's own min-id topological order (an element outside the subset
 * never makes one inside it ready). Adding a node costs a sort and a replay of everything, O(n log
 * n); a log of thousands of operations stays cheap.
 *
 * <p>Confined to its log's lock.
 */
final class Dag {
  private final List<Node> nodes = new ArrayList<>();
  private final Map<OperationId, Node> byId = new HashMap<>();
  private final TreeSet<OperationId> heads = new TreeSet<>();
  /** Every node in replay order. */
  private List<Node> order = List.of();
  /** The replay of every node. */
  private State current = new State();

  Dag(Operation genesis, Map<ClassTag, Integer> starts) {
    add(genesis, new BitSet(), starts);
  }

  boolean contains(OperationId id) {
    return byId.containsKey(id);
  }

  boolean containsAll(Collection<OperationId> ids) {
    return byId.keySet().containsAll(ids);
  }

  @Nullable Node get(OperationId id) {
    return byId.get(id);
  }

  int size() {
    return nodes.size();
  }

  /** Returns the stored nodes no stored node names as a parent, ascending. */
  List<OperationId> heads() {
    return List.copyOf(heads);
  }

  /** Returns every node in replay order. */
  List<Node> order() {
    return order;
  }

  /** Returns the state every node replays to. */
  State current() {
    return current;
  }

  /** Returns {@code ids} (all stored) and all their ancestors. */
  BitSet closure(Collection<OperationId> ids) {
    BitSet out = new BitSet();
    for (OperationId id : ids) {
      @Nullable Node n = byId.get(id);
      if (n != null) {
        out.or(n.ancestors());
        out.set(n.index());
      }
    }
    return out;
  }

  /** Stores a node for {@code op}, whose ancestors are {@code ancestors}, and replays everything. */
  Node add(Operation op, BitSet ancestors, Map<ClassTag, Integer> starts) {
    Node n = new Node(op, nodes.size(), ancestors, Map.copyOf(starts));
    nodes.add(n);
    byId.put(op.id(), n);
    op.parents().forEach(heads::remove);
    heads.add(op.id());
    order = replayOrder();
    BitSet all = new BitSet();
    all.set(0, nodes.size());
    current = replayAll(all);
    return n;
  }

  /** Every node in topological order, ties by ascending operation id (Kahn). */
  private List<Node> replayOrder() {
    int n = nodes.size();
    int[] waiting = new int[n];
    List<List<Node>> children = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      children.add(new ArrayList<>());
    }
    PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> a.op().id().compareTo(b.op().id()));
    for (Node node : nodes) {
      waiting[node.index()] = node.op().parents().size();
      node.op().parents().forEach(p -> children.get(byId.get(p).index()).add(node));
      if (waiting[node.index()] == 0) {
        ready.add(node);
      }
    }
    List<Node> out = new ArrayList<>(n);
    while (!ready.isEmpty()) {
      Node next = ready.poll();
      out.add(next);
      for (Node c : children.get(next.index())) {
        if (--waiting[c.index()] == 0) {
          ready.add(c);
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Replays the down-closed set {@code set} of nodes: in replay order, every node that counts
   * within the set (a revoke, or an operation in the causal past of every revocation of its author
   * that the set holds; a rename also of every revocation of its subject), as far as {@link
   * State#apply} allows.
   */
  State replay(BitSet set) {
    return set.cardinality() == nodes.size() ? current : replayAll(set);
  }

  private State replayAll(BitSet set) {
    Map<IdentityKey, List<Node>> revocations = new HashMap<>();
    for (Node n : order) {
      if (set.get(n.index()) && n.op().kind() == Operation.Kind.REVOKE) {
        revocations.computeIfAbsent(n.op().subject(), k -> new ArrayList<>()).add(n);
      }
    }
    State s = new State();
    for (Node n : order) {
      if (set.get(n.index()) && counts(n, revocations)) {
        s.apply(n);
      }
    }
    return s;
  }

  private static boolean counts(Node n, Map<IdentityKey, List<Node>> revocations) {
    if (n.op().kind() == Operation.Kind.REVOKE) {
      return true;
    }
    for (Node r : revocations.getOrDefault(n.op().author(), List.of())) {
      if (!r.descendsFrom(n)) {
        return false; // revoke wins over a concurrent operation of the revoked device
      }
    }
    if (n.op().kind() == Operation.Kind.RENAME) {
      for (Node r : revocations.getOrDefault(n.op().subject(), List.of())) {
        if (!r.descendsFrom(n)) {
          return false; // a revoked device keeps its name whatever the replay order of a concurrent rename
        }
      }
    }
    return true;
  }
}
