package dev.mnode.store.rocks;

import dev.mnode.store.MemoryId;
import dev.mnode.store.StoreException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The store's write path, with group commit by leader and followers (as LevelDB does): a writer
 * queues its request and takes {@link #lock()}; whoever holds the lock writes every request queued
 * so far in one synced batch, so that writers arriving during one fsync share the next. Each
 * request stays atomic (its ops all land or none do) and returns only once its batch is synced.
 * Keeps the per-class memory counts, which each batch updates in the same write.
 *
 * <p>Thread-safe: the queue is guarded by itself, the counts and requests' outcomes by the lock.
 */
final class GroupCommit {
  /** One write: put a memory or a sync value, already sealed, or delete one. */
  sealed interface Op permits MemoryOp, SyncPut, SyncDelete {}

  /** A write of a memory row, which the change log records. */
  sealed interface MemoryOp extends Op permits Put, Delete {
    MemoryId id();
  }

  record Put(MemoryId id, int classId, byte[] value) implements MemoryOp {}

  record Delete(MemoryId id) implements MemoryOp {}

  record SyncPut(String family, byte[] key, byte[] value) implements Op {}

  record SyncDelete(String family, byte[] key) implements Op {}

  /** A caller's ops and, once a leader wrote them, their outcome. Fields guarded by the lock. */
  static final class Request {
    private final List<Op> ops;
    private boolean done;
    private boolean deleted;
    private @Nullable StoreException failure;

    private Request(List<Op> ops) {
      this.ops = ops;
    }

    /** For a delete: whether the memory existed. */
    boolean deleted() {
      return deleted;
    }

    private void fail(StoreException e) {
      failure = e;
      done = true;
    }
  }

  private final Schema schema;
  private final WriteOptions syncWrites;
  private final String where;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();

  /** Memories per class id. Guarded by lock. */
  private final Map<Integer, Long> counts = new HashMap<>();

  /** Number of the latest change written. Guarded by lock. */
  private long changeSeq;

  GroupCommit(Schema schema, WriteOptions syncWrites, Map<Integer, Long> counts, long changeSeq, String where) {
    this.schema = schema;
    this.syncWrites = syncWrites;
    this.where = where;
    this.counts.putAll(counts);
    this.changeSeq = changeSeq;
  }

  /** Returns the number of the latest change written. */
  long changeSeq() {
    lock.lock();
    try {
      return changeSeq;
    } finally {
      lock.unlock();
    }
  }

  /** The lock that serialises writers; the store also holds it to change its class table. */
  ReentrantLock lock() {
    return lock;
  }

  /** Writes {@code ops} atomically and durably, sharing the sync with concurrent writers. */
  Request commit(List<Op> ops) throws StoreException {
    Request request = new Request(ops);
    synchronized (queue) {
      queue.add(request);
    }
    lock.lock();
    try {
      if (!request.done) {
        writeQueued();
      }
    } finally {
      lock.unlock();
    }
    if (request.failure != null) {
      throw request.failure;
    }
    return request;
  }

  /** Returns the number of memories in class {@code classId}. */
  long count(int classId) {
    lock.lock();
    try {
      return counts.getOrDefault(classId, 0L);
    } finally {
      lock.unlock();
    }
  }

  /** Returns the number of memories in every class. */
  long totalCount() {
    lock.lock();
    try {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    } finally {
      lock.unlock();
    }
  }

  /** Sets the count of a class the store just added. Caller holds the lock. */
  void setCount(int classId, long n) {
    counts.put(classId, n);
  }

  /** Writes every queued request in one synced batch. Holds the lock. */
  private void writeQueued() {
    List<Request> group;
    synchronized (queue) {
      group = new ArrayList<>(queue);
      queue.clear();
    }
    try (WriteBatch batch = new WriteBatch()) {
      Map<Integer, Long> delta = new HashMap<>();
      Map<MemoryId, Optional<Integer>> pending = new HashMap<>();
      long seq = changeSeq;
      for (Request r : group) {
        for (Op op : r.ops) {
          if (op instanceof MemoryOp m) {
            apply(batch, m, r, delta, pending);
            schema.writeChange(batch, ++seq, m.id().toBytes());
          } else if (op instanceof SyncPut p) {
            batch.put(schema.family(p.family()), p.key(), p.value());
          } else if (op instanceof SyncDelete d) {
            batch.delete(schema.family(d.family()), d.key());
          }
        }
      }
      Map<Integer, Long> after = countsAfter(batch, delta);
      if (seq != changeSeq) {
        schema.writeChangeSeq(batch, seq);
      }
      if (batch.count() > 0) {
        schema.db().write(syncWrites, batch);
      }
      counts.putAll(after);
      changeSeq = seq;
      group.forEach(r -> r.done = true);
    } catch (RocksDBException e) {
      StoreException failure = new StoreException("write failed in " + where + ": " + e.getMessage(), e);
      group.forEach(r -> r.fail(failure));
    }
  }

  /** Adds one op to the group's batch, tracking each id's class across the group. */
  private void apply(
      WriteBatch batch, MemoryOp op, Request r, Map<Integer, Long> delta, Map<MemoryId, Optional<Integer>> pending)
      throws RocksDBException {
    MemoryId id = op.id();
    byte[] key = id.toBytes();
    Optional<Integer> previous = pending.get(id);
    if (previous == null) {
      previous = storedClassId(key);
    }
    if (previous.isPresent()) {
      delta.merge(previous.get(), -1L, Long::sum);
      batch.delete(schema.byClass(), Schema.byClassKey(previous.get(), key));
    }
    if (op instanceof Put put) {
      batch.put(schema.memories(), key, put.value());
      batch.put(schema.byClass(), Schema.byClassKey(put.classId(), key), new byte[0]);
      delta.merge(put.classId(), 1L, Long::sum);
      pending.put(id, Optional.of(put.classId()));
    } else {
      batch.delete(schema.memories(), key);
      r.deleted = previous.isPresent();
      pending.put(id, Optional.empty());
    }
  }

  private Optional<Integer> storedClassId(byte[] key) throws RocksDBException {
    byte[] old = schema.db().get(schema.memories(), key);
    return old == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(old, 1, 4).getInt());
  }

  /** Publishes counts that {@link #countsAfter} gave, once their batch is written. Caller holds the lock. */
  void publishCounts(Map<Integer, Long> after) {
    counts.putAll(after);
  }

  /** Adds the new counts to {@code batch} and returns them; published once the batch is written. */
  Map<Integer, Long> countsAfter(WriteBatch batch, Map<Integer, Long> delta)
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
}
