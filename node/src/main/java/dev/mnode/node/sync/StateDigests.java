package dev.mnode.node.sync;

import dev.mnode.crdt.Digest;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state digests of a device: one per class and one of every class it holds together, each a
 * {@link Digest} of the memory rows. Two devices that received the same bundles of a class have
 * equal digests for it, whatever order the bundles came in.
 *
 * @param all the digest of the memories of every class in {@code classes}
 * @param classes the digest of each class, by name
 */
public record StateDigests(Digest all, SortedMap<String, Digest> classes) {
  public StateDigests {
    classes = Collections.unmodifiableSortedMap(new TreeMap<>(classes));
  }

  /**
   * Computes the digests of {@code held} over the rows of {@code store} in one scan, keeping 32
   * bytes per memory, not its text.
   */
  public static StateDigests of(MemoryStore store, Collection<String> held) throws StoreException {
    Digest.Builder all = Digest.builder();
    Map<String, Digest.Builder> byClass = new HashMap<>();
    held.forEach(c -> byClass.put(c, Digest.builder()));
    store.scan(
        Optional.empty(),
        m -> {
          Digest.Builder b = byClass.get(m.memoryClass().name());
          if (b != null) {
            var s = MemoryStates.state(m);
            b.add(s);
            all.add(s);
          }
          return true;
        });
    SortedMap<String, Digest> out = new TreeMap<>();
    byClass.forEach((c, b) -> out.put(c, b.build()));
    return new StateDigests(all.build(), out);
  }

  /** The digest of one class's rows in {@code store}. */
  public static Digest of(MemoryStore store, String className) throws StoreException {
    Digest.Builder b = Digest.builder();
    store.scan(Optional.of(new MemoryClass(className)), m -> {
      b.add(MemoryStates.state(m));
      return true;
    });
    return b.build();
  }
}
