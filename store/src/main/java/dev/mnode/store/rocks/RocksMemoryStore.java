package dev.mnode.store.rocks;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.StoreInfo;
import dev.mnode.store.SyncFamily;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Column families (see {@link Schema}): {@code memories} maps a 16-byte id to a sealed value
 * ({@link SealedValues}), {@code by_class} maps {@code class id u32 | memory id} to nothing (listing by class), {@code
 * meta} holds the schema version, vault id, class table and per-class counts, and {@code keys}
 * holds each class's storage key and the device's named secrets ({@link Secrets}) sealed under the
 * device master key.
 *
 * <p>Thread-safe: writes go through a {@link GroupCommit}, whose lock also guards changes to the
 * class table.
 */
final class RocksMemoryStore implements MemoryStore {

  private final Path dir;
  private final Schema schema;
  private final RocksDB db;
  private final StoreLock lock;
  private volatile StoreInfo info;
  private final WriteOptions syncWrites;
  private volatile Secrets secrets;
  private final GroupCommit writes;

  /** Serialises writes; also guards the class table's changes. Owned by {@link #writes}. */
  private final ReentrantLock writeLock;

  /** The storage keys by class id; see its lock's rules. */
  private final KeyTable keys;

  /** Held by a re-key from start to end, and by close: one re-key at a time, none after close. */
  private final ReentrantLock rekeyLock = new ReentrantLock();

  private volatile boolean closed;

  record ClassEntry(int id, MemoryClass memoryClass, StorageKey key) {}

  RocksMemoryStore(
      Path dir,
      Schema schema,
      StoreLock lock,
      StoreInfo info,
      KeyTable.Loaded loaded,
      Map<Integer, Long> counts,
      long changeSeq) {
    this.dir = dir;
    this.schema = schema;
    this.db = schema.db();
    this.lock = lock;
    this.info = info;
    this.syncWrites = new WriteOptions().setSync(true);
    this.secrets = new Secrets(schema, syncWrites, info.vaultId());
    this.keys = new KeyTable(loaded);
    this.writes = new GroupCommit(schema, syncWrites, counts, changeSeq, dir.toString());
    this.writeLock = writes.lock();
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
    // Seal outside the write lock, so that writers encrypt in parallel and only the write is serial;
    // under the key table's shared lock, so that a re-key never retires the key a value is sealed with.
    keys.lock().readLock().lock();
    try {
      List<GroupCommit.Op> ops = new ArrayList<>(memories.size());
      for (Memory m : memories) {
        ClassEntry c = entry(m.memoryClass());
        ops.add(new GroupCommit.Put(m.id(), c.id(), SealedValues.seal(c, m)));
      }
      writes.commit(ops);
    } finally {
      keys.lock().readLock().unlock();
    }
  }

  @Override
  public void write(StoreBatch batch) throws StoreException {
    checkOpen();
    long memoryOps = batch.ops().stream().filter(o -> o instanceof StoreBatch.PutMemory || o instanceof StoreBatch.DeleteMemory).count();
    if (memoryOps > MAX_BATCH) {
      throw new IllegalArgumentException("batch of " + memoryOps + " memory writes exceeds " + MAX_BATCH);
    }
    if (batch.isEmpty()) {
      return;
    }
    // Seal outside the write lock, under the key table's shared lock, as putAll does.
    keys.lock().readLock().lock();
    try {
      writeSealed(batch);
    } finally {
      keys.lock().readLock().unlock();
    }
  }

  private void writeSealed(StoreBatch batch) throws StoreException {
    List<GroupCommit.Op> ops = new ArrayList<>(batch.size());
    for (StoreBatch.Op op : batch.ops()) {
      if (op instanceof StoreBatch.PutMemory p) {
        ClassEntry c = entry(p.memory().memoryClass());
        ops.add(new GroupCommit.Put(p.memory().id(), c.id(), SealedValues.seal(c, p.memory())));
      } else if (op instanceof StoreBatch.DeleteMemory d) {
        ops.add(new GroupCommit.Delete(d.id()));
      } else if (op instanceof StoreBatch.PutSync p) {
        int classId = keys.sealerId();
        StorageKey sealer = sealer(classId);
        if (p.sealedFor().isPresent()) {
          ClassEntry c = entry(p.sealedFor().get());
          classId = c.id();
          sealer = c.key();
        }
        byte[] sealed = SyncValues.seal(info.vaultId(), p.family(), p.key(), classId, java.util.Objects.requireNonNull(sealer), p.value());
        ops.add(new GroupCommit.SyncPut(p.family().family(), p.key(), sealed));
      } else if (op instanceof StoreBatch.DeleteSync d) {
        ops.add(new GroupCommit.SyncDelete(d.family().family(), d.key()));
      }
    }
    writes.commit(ops);
  }

  @Override
  public Optional<byte[]> syncGet(SyncFamily family, byte[] key) throws StoreException {
    checkOpen();
    keys.lock().readLock().lock();
    try {
      byte[] value = db.get(schema.family(family.family()), key);
      return value == null ? Optional.empty() : Optional.of(SyncValues.open(info.vaultId(), family, key, value, this::sealer));
    } catch (RocksDBException e) {
      throw new StoreException("read of " + family.family() + " failed: " + e.getMessage(), e);
    } finally {
      keys.lock().readLock().unlock();
    }
  }

  @Override
  public void syncScan(SyncFamily family, byte[] prefix, SyncVisitor visitor) throws StoreException {
    syncScanSealed(family, prefix, (k, sealedFor, v) -> visitor.visit(k, v));
  }

  @Override
  public void syncScanSealed(SyncFamily family, byte[] prefix, SealedSyncVisitor visitor) throws StoreException {
    checkOpen();
    keys.lock().readLock().lock();
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
        RocksIterator it = db.newIterator(schema.family(family.family()), ro)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        byte[] sealed = it.value();
        byte[] value = SyncValues.open(info.vaultId(), family, k, sealed, this::sealer);
        int classId = SyncValues.classId(sealed);
        Optional<MemoryClass> sealedFor =
            keys.isClassless(classId) ? Optional.empty() : Optional.of(keys.byId(classId).memoryClass());
        if (!visitor.visit(k, sealedFor, value)) {
          return;
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("scan of " + family.family() + " failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      db.releaseSnapshot(snapshot);
      keys.lock().readLock().unlock();
    }
  }

  /**
   * The key that sealed a sync value: the master key for class id 0, a vault sealer, else that
   * class's key; null for an unknown id.
   */
  private @Nullable StorageKey sealer(int classId) {
    if (classId == 0) {
      return schema.master();
    }
    StorageKey vault = keys.sealer(classId);
    if (vault != null) {
      return vault;
    }
    ClassEntry c = keys.byId(classId);
    return c == null ? null : c.key();
  }

  @Override
  public List<String> secretNames() throws StoreException {
    checkOpen();
    return secrets.names();
  }

  @Override
  public Optional<Memory> get(MemoryId id) throws StoreException {
    checkOpen();
    byte[] key = id.toBytes();
    keys.lock().readLock().lock();
    try {
      byte[] value = db.get(schema.memories(), key);
      return value == null ? Optional.empty() : Optional.of(SealedValues.open(id, value, keys::byId));
    } catch (RocksDBException e) {
      throw new StoreException("read of " + id + " failed: " + e.getMessage(), e);
    } finally {
      keys.lock().readLock().unlock();
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
    return writes.commit(List.of(new GroupCommit.Delete(id))).deleted();
  }

  @Override
  public void scan(Optional<MemoryClass> onlyClass, Visitor visitor) throws StoreException {
    checkOpen();
    keys.lock().readLock().lock();
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
      ClassEntry c = onlyClass.isEmpty() ? null : keys.current(onlyClass.get());
      if (onlyClass.isPresent() && c == null) {
        return;
      }
      if (c == null || keys.hasRetiring(c.memoryClass())) {
        // Every memory, or (while a re-key moves the class's rows from one id to another) every
        // memory of the class, in id order across both ids.
        try (RocksIterator it = db.newIterator(schema.memories(), ro)) {
          for (it.seekToLast(); it.isValid(); it.prev()) {
            ClassEntry of = keys.byId(SealedValues.classId(it.value()));
            if (c != null && (of == null || !of.memoryClass().equals(c.memoryClass()))) {
              continue;
            }
            if (!visitor.visit(SealedValues.open(MemoryId.fromBytes(it.key(), 0), it.value(), keys::byId))) {
              return;
            }
          }
          it.status();
        }
        return;
      }
      byte[] prefix = ByteBuffer.allocate(4).putInt(c.id()).array();
      byte[] last = Schema.byClassKey(c.id(), filled((byte) 0xff));
      try (RocksIterator it = db.newIterator(schema.byClass(), ro)) {
        for (it.seekForPrev(last); it.isValid(); it.prev()) {
          byte[] k = it.key();
          if (!Arrays.equals(k, 0, 4, prefix, 0, 4)) {
            break;
          }
          byte[] value = db.get(schema.memories(), ro, Arrays.copyOfRange(k, 4, k.length));
          if (value != null && !visitor.visit(SealedValues.open(MemoryId.fromBytes(k, 4), value, keys::byId))) {
            return;
          }
        }
        it.status();
      }
    } catch (RocksDBException e) {
      throw new StoreException("scan failed in " + dir + ": " + e.getMessage(), e);
    } finally {
      db.releaseSnapshot(snapshot);
      keys.lock().readLock().unlock();
    }
  }

  @Override
  public long changeSeq() {
    return writes.changeSeq();
  }

  @Override
  public Optional<Set<MemoryId>> changedSince(long since) throws StoreException {
    checkOpen();
    writeLock.lock();
    try {
      if (since < schema.readChangeFloor() || since > writes.changeSeq()) {
        return Optional.empty();
      }
      Set<MemoryId> ids = new HashSet<>();
      schema.readChanges(since, id -> ids.add(MemoryId.fromBytes(id, 0)));
      return Optional.of(ids);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read the change log in " + dir + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void pruneChanges(long upTo) throws StoreException {
    checkOpen();
    writeLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      long floor = schema.readChangeFloor();
      long to = Math.min(upTo, writes.changeSeq());
      if (to <= floor) {
        return;
      }
      schema.writePrune(batch, to);
      db.write(syncWrites, batch);
    } catch (RocksDBException e) {
      throw new StoreException("cannot prune the change log in " + dir + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public List<MemoryClass> classes() {
    List<MemoryClass> list = new ArrayList<>(keys.classes());
    list.sort(null);
    return list;
  }

  @Override
  public boolean addClass(MemoryClass memoryClass) throws StoreException {
    checkOpen();
    keys.lock().writeLock().lock();
    writeLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      if (keys.current(memoryClass) != null) {
        return false;
      }
      int id = keys.maxId() + 1;
      StorageKey key = StorageKey.generate();
      Schema.writeClass(batch, schema, info.vaultId(), id, memoryClass, key, schema.master());
      db.write(syncWrites, batch);
      keys.addCurrent(new ClassEntry(id, memoryClass, key));
      writes.setCount(id, 0L);
      return true;
    } catch (RocksDBException e) {
      throw new StoreException("cannot add class " + memoryClass + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
      keys.lock().writeLock().unlock();
    }
  }

  @Override
  public void putSecret(String name, SecretBytes secret) throws StoreException {
    checkOpen();
    keys.lock().readLock().lock();
    try {
      secrets.put(name, secret);
    } finally {
      keys.lock().readLock().unlock();
    }
  }

  @Override
  public Optional<SecretBytes> secret(String name) throws StoreException {
    checkOpen();
    keys.lock().readLock().lock();
    try {
      return secrets.get(name);
    } finally {
      keys.lock().readLock().unlock();
    }
  }

  @Override
  public boolean deleteSecret(String name) throws StoreException {
    checkOpen();
    keys.lock().readLock().lock();
    try {
      return secrets.delete(name);
    } finally {
      keys.lock().readLock().unlock();
    }
  }

  @Override
  public SortedMap<MemoryClass, Long> counts() {
    writeLock.lock();
    try {
      SortedMap<MemoryClass, Long> out = new TreeMap<>();
      for (ClassEntry c : keys.allEntries()) {
        out.merge(c.memoryClass(), writes.count(c.id()), Long::sum);
      }
      return out;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void adoptVault(byte[] vault) throws StoreException {
    if (vault.length != 16) {
      throw new IllegalArgumentException("a vault id has 16 bytes, got " + vault.length);
    }
    checkOpen();
    keys.lock().writeLock().lock();
    writeLock.lock();
    try {
      if (!keys.retiringIds().isEmpty()) {
        throw new StoreException("a re-key of this store is under way; finish it before joining another vault");
      }
      long stored = counts().values().stream().mapToLong(Long::longValue).sum();
      if (stored > 0) {
        throw new StoreException("this store holds " + stored + " memories of its own vault; only an empty store can join another");
      }
      java.util.Map<String, byte[]> raw = new java.util.TreeMap<>();
      try {
        for (String name : secrets.names()) {
          try (dev.mnode.crypto.SecretBytes v = secrets.get(name).orElseThrow()) {
            raw.put(name, v.copy());
          }
        }
        try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
          schema.adoptVault(batch, vault, keys.currentEntries(), raw);
          if (keys.sealerId() != 0) {
            schema.writeClassKey(batch, java.util.HexFormat.of().formatHex(vault), keys.sealerId(), KeyTable.VAULT_SEALER,
                java.util.Objects.requireNonNull(keys.sealer(keys.sealerId())), schema.master());
          }
          db.write(syncWrites, batch);
        }
      } finally {
        raw.values().forEach(b -> java.util.Arrays.fill(b, (byte) 0));
      }
      String id = java.util.HexFormat.of().formatHex(vault);
      info = new StoreInfo(id, info.schema(), info.created());
      secrets = new Secrets(schema, syncWrites, id);
    } catch (RocksDBException e) {
      throw new StoreException("cannot move the store to another vault: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
      keys.lock().writeLock().unlock();
    }
  }

  @Override
  public StoreInfo info() {
    return info;
  }

  @Override
  public long diskBytes() throws StoreException {
    try {
      return DiskUsage.of(dir);
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
      // Forced down to the bottommost level: deleted rows and their tombstones are dropped from
      // every table file, not only from the levels above it.
      try (org.rocksdb.CompactRangeOptions o = new org.rocksdb.CompactRangeOptions()
          .setBottommostLevelCompaction(org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
        for (ColumnFamilyHandle h : schema.handles()) {
          db.compactRange(h, null, null, o);
        }
      }
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw new StoreException("compaction failed in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void rekey(StorageKey newMaster, RekeyProgress progress) throws StoreException {
    rekey(newMaster, progress, step -> {});
  }

  /** As {@link #rekey(StorageKey, RekeyProgress)}, calling {@code checkpoint} after each step (tests stop there). */
  void rekey(StorageKey newMaster, RekeyProgress progress, Rekeying.Checkpoint checkpoint) throws StoreException {
    rekeyLock.lock();
    try {
      if (closed) {
        newMaster.close();
        throw new IllegalStateException("store " + dir + " is closed");
      }
      new Rekeying(schema, keys, writes, secrets, syncWrites, info.vaultId(), dir.toString(), progress, checkpoint)
          .run(newMaster);
      progress.progress("compact", 0, -1);
      compact();
      progress.progress("done", 0, -1);
    } finally {
      rekeyLock.unlock();
    }
  }

  @Override
  public boolean rekeyPending() {
    return !keys.retiringIds().isEmpty();
  }

  @Override
  public void close() {
    rekeyLock.lock();
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      syncWrites.close();
      schema.close();
      keys.close();
      lock.close();
    } finally {
      writeLock.unlock();
      rekeyLock.unlock();
    }
  }

  private ClassEntry entry(MemoryClass memoryClass) throws StoreException {
    ClassEntry c = keys.current(memoryClass);
    if (c == null) {
      throw new StoreException(
          "unknown class \"" + memoryClass + "\" (add it with: mnode classes add " + memoryClass + ")");
    }
    return c;
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
