package dev.mnode.store.rocks;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The storage keys a store holds in memory, by class id: each class's current key, the keys of
 * classes' older generations that a re-key ({@link Rekeying}) is retiring, and the vault sealer:
 * a storage key, sealed under the master key like a class key, that seals the sync values no
 * class owns (id 0, the master key itself, sealed them before the store's first re-key).
 *
 * <p>Thread-safe. {@link #lock()} is held shared by every operation that seals or opens a value,
 * and exclusively while the set of keys changes (a re-key starting or finishing), so that no value
 * is sealed under a key that is being retired, nor opened with a key that is gone.
 */
final class KeyTable implements AutoCloseable {
  /** The name the vault sealer's key row is bound to; not a valid class name. */
  static final String VAULT_SEALER = "~vault";

  /** A vault sealer key: its class id and key. */
  record Sealer(int id, StorageKey key) {}

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Integer, RocksMemoryStore.ClassEntry> byId = new ConcurrentHashMap<>();
  private final Map<MemoryClass, RocksMemoryStore.ClassEntry> current = new ConcurrentHashMap<>();
  private final Map<Integer, StorageKey> sealers = new ConcurrentHashMap<>();
  private final Set<Integer> retiring = ConcurrentHashMap.newKeySet();
  /** The id of the vault sealer that seals new class-less sync values; 0: the master key. */
  private volatile int sealerId;

  /** What {@link Schema#readKeys} finds on disk. */
  record Loaded(
      List<RocksMemoryStore.ClassEntry> current,
      List<RocksMemoryStore.ClassEntry> retiring,
      Map<Integer, StorageKey> sealers,
      Set<Integer> retiringSealers,
      int sealerId) {}

  KeyTable(Loaded loaded) {
    for (RocksMemoryStore.ClassEntry c : loaded.current()) {
      byId.put(c.id(), c);
      current.put(c.memoryClass(), c);
    }
    for (RocksMemoryStore.ClassEntry c : loaded.retiring()) {
      byId.put(c.id(), c);
      retiring.add(c.id());
    }
    sealers.putAll(loaded.sealers());
    retiring.addAll(loaded.retiringSealers());
    sealerId = loaded.sealerId();
  }

  ReentrantReadWriteLock lock() {
    return lock;
  }

  /** The current entry of {@code c}, or null when the class is unknown. */
  RocksMemoryStore.@Nullable ClassEntry current(MemoryClass c) {
    return current.get(c);
  }

  /** The class entry of id {@code id}, current or retiring; null for none (or a vault sealer). */
  RocksMemoryStore.@Nullable ClassEntry byId(int id) {
    return byId.get(id);
  }

  /** Every class's current entry. */
  Collection<RocksMemoryStore.ClassEntry> currentEntries() {
    return List.copyOf(current.values());
  }

  /** Every class entry, current and retiring. */
  Collection<RocksMemoryStore.ClassEntry> allEntries() {
    return List.copyOf(byId.values());
  }

  /** The known classes, in no order. */
  Set<MemoryClass> classes() {
    return current.keySet();
  }

  /** Whether values of {@code c} may still be sealed under a retiring id. */
  boolean hasRetiring(MemoryClass c) {
    for (int id : retiring) {
      RocksMemoryStore.ClassEntry e = byId.get(id);
      if (e != null && e.memoryClass().equals(c)) {
        return true;
      }
    }
    return false;
  }

  boolean isRetiring(int id) {
    return retiring.contains(id);
  }

  /** Ids of the retiring keys, classes' and vault sealers'. */
  List<Integer> retiringIds() {
    return new ArrayList<>(retiring);
  }

  /** Whether {@code id} names a vault sealer (or the master key, 0): a value no class owns. */
  boolean isClassless(int id) {
    return id == 0 || sealers.containsKey(id);
  }

  /** The id and key that seal new class-less values; id 0 and null before the first re-key. */
  int sealerId() {
    return sealerId;
  }

  /** The key of vault sealer {@code id}, or null. */
  @Nullable StorageKey sealer(int id) {
    return sealers.get(id);
  }

  /** The largest id in use, classes' and sealers' alike. */
  int maxId() {
    int max = 0;
    for (int id : byId.keySet()) {
      max = Math.max(max, id);
    }
    for (int id : sealers.keySet()) {
      max = Math.max(max, id);
    }
    return max;
  }

  /** Adds a class (or a class's new generation, retiring the one it replaces). */
  void addCurrent(RocksMemoryStore.ClassEntry e) {
    RocksMemoryStore.ClassEntry old = current.put(e.memoryClass(), e);
    byId.put(e.id(), e);
    if (old != null) {
      retiring.add(old.id());
    }
  }

  /** Makes {@code s} the vault sealer, retiring the one before (if any). */
  void setSealer(Sealer s) {
    sealers.put(s.id(), s.key());
    if (sealerId != 0) {
      retiring.add(sealerId);
    }
    sealerId = s.id();
  }

  /** Forgets and wipes the retiring keys: every value they sealed was sealed again. */
  void dropRetiring() {
    for (int id : retiringIds()) {
      RocksMemoryStore.ClassEntry e = byId.remove(id);
      if (e != null) {
        e.key().close();
      }
      StorageKey s = sealers.remove(id);
      if (s != null) {
        s.close();
      }
      retiring.remove(id);
    }
  }

  @Override
  public void close() {
    byId.values().forEach(e -> e.key().close());
    sealers.values().forEach(StorageKey::close);
  }
}
