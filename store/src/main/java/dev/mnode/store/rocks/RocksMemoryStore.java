package dev.mnode.store.rocks;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.StoreInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link MemoryStore} on RocksDB.
 *
 * <p>Column families (see {@link Schema}): {@code memories} maps a 16-byte id to a value
 *
 * <pre>
 * +--------+-------------+-----------------------------------------------+
 * | ver u8 | class id u32| AES-256-GCM(class storage key, MemoryCodec,  |
 * |   = 1  |             |   ad = "mnode/memory/v1" | id | class name)    |
 * +--------+-------------+-----------------------------------------------+
 * </pre>
 *
 * {@code by_class} maps {@code class id u32 | memory id} to nothing (listing by class), {@code
 * meta} holds the schema version, vault id, class table and per-class counts, and {@code keys}
 * holds each class's storage key sealed under the device master key.
 *
 * <p>Thread-safe: writes hold {@link #writeLock}, which also guards the class table and counts.
 */
final class RocksMemoryStore implements MemoryStore {
  static final int VALUE_VERSION = 1;
  private static final byte[] MEMORY_AD = "mnode/memory/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Path dir;
  private final Schema schema;
  private final RocksDB db;
  private final StoreLock lock;
  private final StoreInfo info;
  private final WriteOptions syncWrites;
  private final ReentrantLock writeLock = new ReentrantLock();

  /** Class id to class and key. Guarded by writeLock for writes; read without it. */
  private final Map<Integer, ClassEntry> classesById = new ConcurrentHashMap<>();

  private final Map<MemoryClass, ClassEntry> classesByName = new ConcurrentHashMap<>();

  /** Memories per class id. Guarded by writeLock. */
  private final Map<Integer, Long> counts = new HashMap<>();

  private volatile boolean closed;

  record ClassEntry(int id, MemoryClass memoryClass, StorageKey key) {}

  RocksMemoryStore(
      Path dir,
      Schema schema,
      StoreLock lock,
      StoreInfo info,
      List<ClassEntry> classes,
      Map<Integer, Long> counts) {
    this.dir = dir;
    this.schema = schema;
    this.db = schema.db();
    this.lock = lock;
    this.info = info;
    this.syncWrites = new WriteOptions().setSync(true);
    for (ClassEntry c : classes) {
      classesById.put(c.id(), c);
      classesByName.put(c.memoryClass(), c);
    }
    this.counts.putAll(counts);
  }

  @Override
  public void put(Memory memory) throws StoreException {
    putAll(List.of(memory));
  }

  @Override
  public void putAll(List<Memory> memories) throws StoreException {
    checkOpen();
    if (memories.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "batch of " + memories.size() + " exceeds " + MAX_BATCH + " memories");
    }
    if (memories.isEmpty()) {
      return;
    }
    writeLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      Map<Integer, Long> delta = new HashMap<>();
      Map<MemoryId, Integer> pendingClass = new HashMap<>();
      for (Memory m : memories) {
        ClassEntry c = entry(m.memoryClass());
        byte[] key = m.id().toBytes();
        Integer previous =
            pendingClass.containsKey(m.id()) ? pendingClass.get(m.id()) : storedClassId(key);
        if (previous != null && previous != c.id()) {
          batch.delete(schema.byClass(), byClassKey(previous, key));
          delta.merge(previous, -1L, Long::sum);
        }
        if (previous == null || previous != c.id()) {
          delta.merge(c.id(), 1L, Long::sum);
        }
        pendingClass.put(m.id(), c.id());
        batch.put(schema.memories(), key, seal(c, m));
        batch.put(schema.byClass(), byClassKey(c.id(), key), new byte[0]);
      }
      Map<Integer, Long> after = applyCounts(batch, delta);
      db.write(syncWrites, batch);
      counts.putAll(after);
    } catch (RocksDBException e) {
      throw new StoreException("write failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public Optional<Memory> get(MemoryId id) throws StoreException {
    checkOpen();
    byte[] key = id.toBytes();
    try {
      byte[] value = db.get(schema.memories(), key);
      return value == null ? Optional.empty() : Optional.of(open(id, value));
    } catch (RocksDBException e) {
      throw new StoreException("read of " + id + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean contains(MemoryId id) throws StoreException {
    checkOpen();
    try {
      return db.get(schema.memories(), id.toBytes()) != null;
    } catch (RocksDBException e) {
      throw new StoreException("read of " + id + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean delete(MemoryId id) throws StoreException {
    checkOpen();
    writeLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      byte[] key = id.toBytes();
      Integer classId = storedClassId(key);
      if (classId == null) {
        return false;
      }
      batch.delete(schema.memories(), key);
      batch.delete(schema.byClass(), byClassKey(classId, key));
      Map<Integer, Long> after = applyCounts(batch, Map.of(classId, -1L));
      db.write(syncWrites, batch);
      counts.putAll(after);
      return true;
    } catch (RocksDBException e) {
      throw new StoreException("delete of " + id + " failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void scan(Optional<MemoryClass> onlyClass, Visitor visitor) throws StoreException {
    checkOpen();
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
      if (onlyClass.isEmpty()) {
        try (RocksIterator it = db.newIterator(schema.memories(), ro)) {
          for (it.seekToLast(); it.isValid(); it.prev()) {
            if (!visitor.visit(open(MemoryId.fromBytes(it.key(), 0), it.value()))) {
              return;
            }
          }
          it.status();
        }
        return;
      }
      ClassEntry c = classesByName.get(onlyClass.get());
      if (c == null) {
        return;
      }
      byte[] prefix = ByteBuffer.allocate(4).putInt(c.id()).array();
      byte[] last = byClassKey(c.id(), filled((byte) 0xff));
      try (RocksIterator it = db.newIterator(schema.byClass(), ro)) {
        for (it.seekForPrev(last); it.isValid(); it.prev()) {
          byte[] k = it.key();
          if (!Arrays.equals(k, 0, 4, prefix, 0, 4)) {
            break;
          }
          byte[] value = db.get(schema.memories(), ro, Arrays.copyOfRange(k, 4, k.length));
          if (value != null && !visitor.visit(open(MemoryId.fromBytes(k, 4), value))) {
            return;
          }
        }
        it.status();
      }
    } catch (RocksDBException e) {
      throw new StoreException("scan failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  @Override
  public List<MemoryClass> classes() {
    List<MemoryClass> list = new ArrayList<>(classesByName.keySet());
    list.sort(null);
    return list;
  }

  @Override
  public boolean addClass(MemoryClass memoryClass) throws StoreException {
    checkOpen();
    writeLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      if (classesByName.containsKey(memoryClass)) {
        return false;
      }
      int id = classesById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      StorageKey key = StorageKey.generate();
      Schema.writeClass(batch, schema, info.vaultId(), id, memoryClass, key, schema.master());
      db.write(syncWrites, batch);
      ClassEntry e = new ClassEntry(id, memoryClass, key);
      classesById.put(id, e);
      classesByName.put(memoryClass, e);
      counts.put(id, 0L);
      return true;
    } catch (RocksDBException e) {
      throw new StoreException("cannot add class " + memoryClass + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public SortedMap<MemoryClass, Long> counts() {
    writeLock.lock();
    try {
      SortedMap<MemoryClass, Long> out = new TreeMap<>();
      for (ClassEntry c : classesById.values()) {
        out.put(c.memoryClass(), counts.getOrDefault(c.id(), 0L));
      }
      return out;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public StoreInfo info() {
    return info;
  }

  @Override
  public long diskBytes() throws StoreException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new StoreException("cannot measure " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void compact() throws StoreException {
    checkOpen();
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      for (ColumnFamilyHandle h : schema.handles()) {
        db.flush(fo, h);
        db.compactRange(h);
      }
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw new StoreException("compaction failed in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      syncWrites.close();
      schema.close();
      for (ClassEntry c : classesById.values()) {
        c.key().close();
      }
      lock.close();
    } finally {
      writeLock.unlock();
    }
  }

  private ClassEntry entry(MemoryClass memoryClass) throws StoreException {
    ClassEntry c = classesByName.get(memoryClass);
    if (c == null) {
      throw new StoreException(
          "unknown class \"" + memoryClass + "\" (add it with: mnode classes add " + memoryClass + ")");
    }
    return c;
  }

  private @Nullable Integer storedClassId(byte[] key) throws RocksDBException {
    byte[] old = db.get(schema.memories(), key);
    return old == null ? null : ByteBuffer.wrap(old, 1, 4).getInt();
  }

  /** Adds the new counts to {@code batch} and returns them; the caller publishes after writing. */
  private Map<Integer, Long> applyCounts(WriteBatch batch, Map<Integer, Long> delta)
      throws RocksDBException {
    Map<Integer, Long> after = new HashMap<>();
    for (var e : delta.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      long n = counts.getOrDefault(e.getKey(), 0L) + e.getValue();
      after.put(e.getKey(), n);
      batch.put(schema.meta(), Schema.countKey(e.getKey()), Schema.longBytes(n));
    }
    return after;
  }

  private byte[] seal(ClassEntry c, Memory m) {
    byte[] sealed = c.key().seal(MemoryCodec.encode(m), ad(m.id(), c.memoryClass()));
    return ByteBuffer.allocate(5 + sealed.length)
        .put((byte) VALUE_VERSION)
        .putInt(c.id())
        .put(sealed)
        .array();
  }

  private Memory open(MemoryId id, byte[] value) throws StoreException {
    if (value.length < 5 || value[0] != VALUE_VERSION) {
      throw new StoreException("memory " + id + " has an unknown value format");
    }
    int classId = ByteBuffer.wrap(value, 1, 4).getInt();
    ClassEntry c = classesById.get(classId);
    if (c == null) {
      throw new StoreException("memory " + id + " names an unknown class id " + classId);
    }
    try {
      byte[] plain = c.key().open(Arrays.copyOfRange(value, 5, value.length), ad(id, c.memoryClass()));
      return MemoryCodec.decode(id, c.memoryClass(), plain);
    } catch (CryptoException | IllegalArgumentException e) {
      throw new StoreException("memory " + id + " is damaged: " + e.getMessage(), e);
    }
  }

  private static byte[] ad(MemoryId id, MemoryClass c) {
    byte[] name = c.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(MEMORY_AD.length + 1 + MemoryId.BYTES + 1 + name.length)
        .put(MEMORY_AD)
        .put((byte) '|')
        .put(id.toBytes())
        .put((byte) '|')
        .put(name)
        .array();
  }

  private static byte[] byClassKey(int classId, byte[] id) {
    return ByteBuffer.allocate(4 + id.length).putInt(classId).put(id).array();
  }

  private static byte[] filled(byte b) {
    byte[] a = new byte[MemoryId.BYTES];
    Arrays.fill(a, b);
    return a;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store " + dir + " is closed");
    }
  }
}
