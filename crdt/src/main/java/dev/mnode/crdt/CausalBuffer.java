package dev.mnode.crdt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Which changes of one document are applied, which are held for missing dependencies, and in what
 * order arriving changes may be handed to Automerge. Knows the applied changes' hashes and (actor,
 * seq) pairs, built on first need from the document's history, so it can tell duplicates from
 * equivocation before Automerge sees anything. Confined to its document's thread.
 */
final class CausalBuffer {
  private final int maxHeld;
  private final Supplier<List<ChangeChunk>> history;
  /** Changes waiting for dependencies, in arrival order. */
  private final LinkedHashMap<ChangeHash, ChangeChunk> held = new LinkedHashMap<>();
  /** Built on first need. */
  private @Nullable Index index;

  /**
   * @param maxHeld most changes to hold
   * @param history every applied change of the document, read only when first needed
   */
  CausalBuffer(int maxHeld, Supplier<List<ChangeChunk>> history) {
    this.maxHeld = maxHeld;
    this.history = history;
  }

  /** What to do with an input: hold the fresh changes, then apply {@code ready} in order. */
  record Plan(List<ChangeChunk> fresh, List<ChangeChunk> ready, int duplicates) {}

  /**
   * Plans the application of {@code changes} without changing anything.
   *
   * @throws EquivocationException if a change has the actor and seq of another applied, held or
   *     arriving change
   * @throws PendingLimitException if more than the limit would be held afterwards
   */
  Plan plan(Changes changes) throws EquivocationException, PendingLimitException {
    Index ix = index();
    int duplicates = 0;
    Map<ChangeHash, ChangeChunk> fresh = new LinkedHashMap<>();
    Map<ActorSeq, ChangeHash> seqs = new HashMap<>();
    held.values().forEach(c -> seqs.put(ActorSeq.of(c), c.hash()));
    for (ChangeChunk c : changes.chunks()) {
      if (ix.hashes.contains(c.hash()) || held.containsKey(c.hash()) || fresh.containsKey(c.hash())) {
        duplicates++;
        continue;
      }
      ActorSeq key = ActorSeq.of(c);
      @Nullable ChangeHash other = ix.seqs.getOrDefault(key, seqs.get(key));
      if (other != null) {
        throw new EquivocationException(
            c.actor().hex(),
            c.seq(),
            "actor " + c.actor().hex() + " wrote two different changes with seq " + c.seq() + ": "
                + other.hex() + " and " + c.hash().hex());
      }
      fresh.put(c.hash(), c);
      seqs.put(key, c.hash());
    }
    List<ChangeChunk> waiting = new ArrayList<>(held.values());
    waiting.addAll(fresh.values());
    List<ChangeChunk> ready = readyOrder(waiting, ix.hashes);
    int stillHeld = waiting.size() - ready.size();
    if (stillHeld > maxHeld) {
      throw new PendingLimitException(
          maxHeld,
          stillHeld + " changes would wait for missing dependencies; a memory document holds at most " + maxHeld);
    }
    return new Plan(List.copyOf(fresh.values()), ready, duplicates);
  }

  /**
   * Returns the changes of {@code waiting} whose dependencies are applied or come earlier in the
   * result (Kahn's algorithm; ties in arrival order).
   */
  private static List<ChangeChunk> readyOrder(List<ChangeChunk> waiting, Set<ChangeHash> applied) {
    Map<ChangeHash, Integer> missing = new HashMap<>();
    Map<ChangeHash, List<ChangeChunk>> dependents = new HashMap<>();
    ArrayDeque<ChangeChunk> queue = new ArrayDeque<>();
    for (ChangeChunk c : waiting) {
      int n = 0;
      for (ChangeHash d : new LinkedHashSet<>(c.deps())) {
        if (!applied.contains(d)) {
          n++;
          dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(c);
        }
      }
      missing.put(c.hash(), n);
      if (n == 0) {
        queue.add(c);
      }
    }
    List<ChangeChunk> ready = new ArrayList<>();
    while (!queue.isEmpty()) {
      ChangeChunk c = queue.poll();
      ready.add(c);
      for (ChangeChunk d : dependents.getOrDefault(c.hash(), List.of())) {
        if (missing.merge(d.hash(), -1, Integer::sum) == 0) {
          queue.add(d);
        }
      }
    }
    return ready;
  }

  void hold(Collection<ChangeChunk> changes) {
    changes.forEach(c -> held.put(c.hash(), c));
  }

  /** Records that {@code c} is now in the document (applied from elsewhere or written here). */
  void applied(ChangeChunk c) {
    held.remove(c.hash());
    if (index != null) {
      index.add(c);
    }
  }

  boolean isEmpty() {
    return held.isEmpty();
  }

  int heldCount() {
    return held.size();
  }

  Collection<ChangeChunk> held() {
    return Collections.unmodifiableCollection(held.values());
  }

  /** Returns the hashes held changes wait for that are neither applied nor held. */
  SortedSet<ChangeHash> missing() {
    Set<ChangeHash> applied = index().hashes;
    TreeSet<ChangeHash> out = new TreeSet<>();
    for (ChangeChunk c : held.values()) {
      for (ChangeHash d : c.deps()) {
        if (!applied.contains(d) && !held.containsKey(d)) {
          out.add(d);
        }
      }
    }
    return Collections.unmodifiableSortedSet(out);
  }

  private Index index() {
    if (index == null) {
      Index ix = new Index();
      history.get().forEach(ix::add);
      index = ix;
    }
    return index;
  }

  /** The applied changes' hashes, and which hash each (actor, seq) has. */
  private static final class Index {
    final Set<ChangeHash> hashes = new HashSet<>();
    final Map<ActorSeq, ChangeHash> seqs = new HashMap<>();

    void add(ChangeChunk c) {
      hashes.add(c.hash());
      seqs.put(ActorSeq.of(c), c.hash());
    }
  }

  private record ActorSeq(ActorId actor, long seq) {
    static ActorSeq of(ChangeChunk c) {
      return new ActorSeq(c.actor(), c.seq());
    }
  }
}
