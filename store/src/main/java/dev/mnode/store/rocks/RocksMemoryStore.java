package dev.mnode.store.rocks;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.SecretBytes;
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
import java.util.ArrayDeque;
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
 * <p>Thread-safe: writes go through a group commit (see {@link #commit}) under {@link #writeLock},
 * which also guards the class table and counts.
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

  /** Requests waiting for the next group commit. Guarded by itself. */
  private final ArrayDeque<Request> queue = new ArrayDeque<>();

  /** Class id to class and key. Guarded by writeLock for writes; read without it. */
  private final Map<Integer, ClassEntry> classesById = new ConcurrentHashMap<>();

  private final Map<MemoryClass, ClassEntry> classesByName = new ConcurrentHashMap<>();

  /** Memories per class id. Guarded by writeLock. */
  private final Map<Integer, Long> counts = new HashMap<>();

  private volatile boolean closed;

  record ClassEntry(int id, MemoryClass memoryClass, StorageKey key) {}

  /** One write: put a memory (sealed already) or delete one. */
  private sealed interface Op permits Put, Delete {
    MemoryId id();
  }

  private record Put(MemoryId id, ClassEntry memoryClass, byte[] value) implements Op {}

  private record Delete(MemoryId id) implements Op {}

  /** A caller's ops and, once a leader wrote them, their outcome. Fields guarded by writeLock. */
  private static final class Request {
    final List<Op> ops;
    boolean done;
    boolean deleted;
    @Nullable StoreException failure;

    Request(List<Op> ops) {
      this.ops = ops;
    }

    void fail(StoreException e) {
      failure = e;
      done = true;
    }
  }

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
    // Seal outside the lock, so that writers encrypt in parallel and only the write is serial.
    List<Op> ops = new ArrayList<>(memories.size());
    for (Memory m : memories) {
      ClassEntry c = entry(m.memoryClass());
      ops.add(new Put(m.id(), c, seal(c, m)));
    }
    commit(ops);
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
    return commit(List.of(new Delete(id))).deleted;
  }

  /**
   * Group commit, leader and followers: the caller queues its request, then takes {@link
   * #writeLock}; whoever holds it writes every request queued so far in one synced batch, so that
   * writers arriving during one fsync share the next. Each request stays atomic: its ops all land
   * or none do.
   */
  private Request commit(List<Op> ops) throws StoreException {
    Request request = new Request(ops);
    synchronized (queue) {
      queue.add(request);
    }
    writeLock.lock();
    try {
      if (!request.done) {
        writeQueued();
      }
    } finally {
      writeLock.unlock();
    }
    if (request.failure != null) {
      throw request.failure;
    }
    return request;
  }

  /** Writes every queued request in one synced batch. Holds writeLock. */
  private void writeQueued() {
    List<Request> group;
    synchronized (queue) {
      group = new ArrayList<>(queue);
      queue.clear();
    }
    List<Request> accepted = new ArrayList<>(group.size());
    try (WriteBatch batch = new WriteBatch()) {
      Map<Integer, Long> delta = new HashMap<>();
      Map<MemoryId, Optional<Integer>> pending = new HashMap<>();
      for (Request r : group) {
        for (Op op : r.ops) {
          apply(batch, op, r, delta, pending);
        }
        accepted.add(r);
      }
      Map<Integer, Long> after = applyCounts(batch, delta);
      if (batch.count() > 0) {
        db.write(syncWrites, batch);
      }
      counts.putAll(after);
      accepted.forEach(r -> r.done = true);
    } catch (RocksDBException e) {
      StoreException failure = new StoreException("write failed in " + dir + ": " + e.getMessage(), e);
      accepted.forEach(r -> r.fail(failure));
    }
  }

  /** Adds one op to the group's batch, tracking each id's class across the group. */
  private void apply(
      WriteBatch batch,
      Op op,
      Request r,
      Map<Integer, Long> delta,
      Map<MemoryId, Optional<Integer>> pending)
      throws RocksDBException {
    MemoryId id = op.id();
    byte[] key = id.toBytes();
    Optional<Integer> previous = pending.get(id);
    if (previous == null) {
      previous = Optional.ofNullable(storedClassId(key));
    }
    if (previous.isPresent()) {
      delta.merge(previous.get(), -1L, Long::sum);
      batch.delete(schema.byClass(), byClassKey(previous.get(), key));
    }
    if (op instanceof Put put) {
      ClassEntry c = put.memoryClass();
      batch.put(schema.memories(), key, put.value());
      batch.put(schema.byClass(), byClassKey(c.id(), key), new byte[0]);
      delta.merge(c.id(), 1L, Long::sum);
      pending.put(id, Optional.of(c.id()));
    } else {
      batch.delete(schema.memories(), key);
      r.deleted = previous.isPresent();
      pending.put(id, Optional.empty());
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
  public void putSecret(String name, SecretBytes secret) throws StoreException {
    checkOpen();
    byte[] raw = secret.copy();
    try {
      db.put(schema.keys(), syncWrites, Schema.secretKey(name), schema.master().seal(raw, secretAd(name)));
    } catch (RocksDBException e) {
      throw new StoreException("cannot store secret " + name + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  @Override
  public Optional<SecretBytes> secret(String name) throws StoreException {
    checkOpen();
    try {
      byte[] sealed = db.get(schema.keys(), Schema.secretKey(name));
      if (sealed == null) {
        return Optional.empty();
      }
      byte[] raw = schema.master().open(sealed, secretAd(name));
      try {
        return Optional.of(SecretBytes.copyOf(raw));
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot read secret " + name + ": " + e.getMessage(), e);
    } catch (CryptoException e) {
      throw new StoreException("secret " + name + " is damaged", e);
    }
  }

  @Override
  public boolean deleteSecret(String name) throws StoreException {
    checkOpen();
    byte[] key = Schema.secretKey(name);
    try {
      if (db.get(schema.keys(), key) == null) {
        return false;
      }
      db.delete(schema.keys(), syncWrites, key);
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        db.flush(fo, schema.keys());
      }
      db.compactRange(schema.keys());
      return true;
    } catch (RocksDBException e) {
      throw new StoreException("cannot delete secret " + name + ": " + e.getMessage(), e);
    }
  }

  private byte[] secretAd(String name) {
    return ("mnode/secret/v1|" + info.vaultId() + "|" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
  public void flush() throws StoreException {
    checkOpen();
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      db.flush(fo, schema.handles());
    } catch (RocksDBException e) {
      throw new StoreException("flush failed in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void compact() throws StoreException {
    flush();
    try {
      for (ColumnFamilyHandle h : schema.handles()) {
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
