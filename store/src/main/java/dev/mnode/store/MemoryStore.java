package dev.mnode.store;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The durable, encrypted store of one device's memories. Every write returns only once it is
 * durable (the write-ahead log is synced), and a process killed at any moment leaves a store that
 * reopens with every acknowledged write. Text, tags, source and metadata are sealed at rest under
 * a per-class key.
 *
 * <p>Thread-safe: one process opens a store at a time; inside it, writes are serialised and reads
 * run concurrently.
 */
public interface MemoryStore extends AutoCloseable {
  /** Schema version this code writes and reads. */
  int SCHEMA_VERSION = 2;

  /** Largest number of memories accepted in one {@link #putAll} batch. */
  int MAX_BATCH = 10_000;

  /**
   * Inserts {@code memory} or replaces the memory with its id, durably.
   *
   * @throws StoreException if its class is unknown or the write fails
   */
  void put(Memory memory) throws StoreException;

  /**
   * Writes every memory in one atomic, durable batch (all or none). A later memory in the list
   * replaces an earlier one with the same id.
   */
  void putAll(List<Memory> memories) throws StoreException;

  /** Returns the memory with {@code id}, or empty when there is none. */
  Optional<Memory> get(MemoryId id) throws StoreException;

  /** Returns whether a memory with {@code id} exists, without opening it. */
  boolean contains(MemoryId id) throws StoreException;

  /** Deletes the memory with {@code id} durably; returns false when there was none. */
  boolean delete(MemoryId id) throws StoreException;

  /**
   * Visits memories from the highest id to the lowest (newest first for UUIDv7 ids), only those
   * of {@code onlyClass} when given, until the visitor returns false. Sees a consistent snapshot.
   */
  void scan(Optional<MemoryClass> onlyClass, Visitor visitor) throws StoreException;

  /**
   * Returns the number of the latest change: every put or delete of a memory is one change,
   * numbered from 1 in commit order. 0 for a store never written.
   */
  long changeSeq();

  /**
   * Returns the ids of the memories put or deleted after change {@code since}, for a derived index
   * (saved at {@code since}) to catch up; empty when the log no longer reaches back that far
   * ({@link #pruneChanges}) or {@code since} is ahead of the store, and the index must rebuild.
   */
  Optional<Set<MemoryId>> changedSince(long since) throws StoreException;

  /** Drops the change log up to and including change {@code upTo}, durably. */
  void pruneChanges(long upTo) throws StoreException;

  /** Returns the known classes in name order. */
  List<MemoryClass> classes();

  /**
   * Adds a class with a fresh storage key; returns false when it already exists.
   *
   * @throws StoreException if the write fails
   */
  boolean addClass(MemoryClass memoryClass) throws StoreException;

  /** Returns the number of memories per known class (zero counts included), without a scan. */
  SortedMap<MemoryClass, Long> counts();

  /**
   * Stores {@code secret} under {@code name}, sealed by the device master key with associated
   * data binding the vault and the name. Replaces an older secret of that name.
   */
  void putSecret(String name, SecretBytes secret) throws StoreException;

  /** Returns a copy of the secret stored under {@code name}, or empty; the caller wipes it. */
  Optional<SecretBytes> secret(String name) throws StoreException;

  /**
   * Deletes the secret stored under {@code name} and compacts the key family, so that its sealed
   * form leaves the store's live files; returns false when there was none.
   */
  boolean deleteSecret(String name) throws StoreException;

  /** Returns the names of the stored secrets, in name order (a backup copies every one). */
  List<String> secretNames() throws StoreException;

  /**
   * Moves this store, which must hold no memory, to vault {@code vaultId} (16 bytes): a device that
   * was started on its own joins another vault. Its class keys and secrets are sealed again for
   * the new vault and its sync state is dropped, in one durable batch.
   *
   * @throws StoreException if a memory is stored, or the write fails (nothing changes then)
   */
  void adoptVault(byte[] vaultId) throws StoreException;

  /** Returns facts about this store. */
  StoreInfo info();

  /** Returns the bytes the store's files take on disk now. */
  long diskBytes() throws StoreException;

  /**
   * Writes the memtables to table files, so that the next open need not replay the write-ahead
   * log. Worth calling after a large import.
   */
  void flush() throws StoreException;

  /** Flushes memtables and compacts, so that the write-ahead log holds no live data. */
  void compact() throws StoreException;

  /**
   * Re-keys the store in place, so that a copy of its files taken before cannot be opened with any
   * key the store holds afterwards: every class gets a fresh storage key, every memory row and
   * sync value is sealed again under the fresh keys (class-less sync values under a fresh vault
   * key), the key check, class keys and named secrets are sealed again under {@code newMaster},
   * the old keys' rows are deleted, and the store is compacted. Rows of the old keys are then in
   * no live file; the old master key opens nothing of the store any more.
   *
   * <p>Safe against a crash at any point: until the last step the store opens with its old master
   * key (and {@link #rekeyPending} tells that a re-key was under way; the next re-key finishes it
   * with fresh keys again); from the last step on, with {@code newMaster} only. The caller saves
   * {@code newMaster} where it will find it (the key file's successor) before calling this.
   *
   * <p>Reads and writes run concurrently; writes wait for each batch of {@value #REKEY_BATCH}
   * rows, and for the first and last steps (short, independent of the store's size). One re-key
   * runs at a time.
   *
   * @param newMaster the new master key; the store takes ownership (and wipes it on failure)
   * @throws StoreException if a write fails or a value does not open: the store keeps its old
   *     master key then, and the next re-key starts over
   */
  void rekey(StorageKey newMaster, RekeyProgress progress) throws StoreException;

  /** Rows a re-key seals again per write batch. */
  int REKEY_BATCH = 1_000;

  /** Whether a re-key was started and not finished (the process stopped during one). */
  boolean rekeyPending();

  /** Receives a re-key's progress: the phase, and rows done of the total when it is known (else -1). */
  @FunctionalInterface
  interface RekeyProgress {
    RekeyProgress NONE = (phase, done, total) -> {};

    void progress(String phase, long done, long total);
  }

  /** Closes the store and releases the single-writer lock. Idempotent. */
  @Override
  void close();

  /**
   * Writes {@code batch} atomically and durably: every memory row and sync value in it, or none.
   * Memory puts and deletes count in the change log as {@link #putAll} and {@link #delete} do.
   *
   * @throws StoreException if a memory's class is unknown (nothing is written) or the write fails
   * @throws IllegalArgumentException if the batch holds more than {@link #MAX_BATCH} memory writes
   */
  void write(StoreBatch batch) throws StoreException;

  /**
   * Returns the sync value under {@code key} in {@code family}, opened, or empty.
   *
   * @throws StoreException if it is there but does not open (damaged, or moved from another key)
   */
  Optional<byte[]> syncGet(SyncFamily family, byte[] key) throws StoreException;

  /**
   * Visits the sync values of {@code family} whose keys start with {@code prefix}, in key order,
   * opened, until the visitor returns false. Sees a consistent snapshot.
   */
  void syncScan(SyncFamily family, byte[] prefix, SyncVisitor visitor) throws StoreException;

  /**
   * As {@link #syncScan}, also telling for each value the class whose storage key seals it (empty:
   * the master key), so that a copy of the value can be sealed the same way ({@link
   * StoreBatch#putSync(SyncFamily, byte[], Optional, byte[])}).
   */
  void syncScanSealed(SyncFamily family, byte[] prefix, SealedSyncVisitor visitor) throws StoreException;

  /** Receives sync values and their sealing class from {@link #syncScanSealed}. */
  @FunctionalInterface
  interface SealedSyncVisitor {
    /** Returns false to stop the scan. */
    boolean visit(byte[] key, Optional<MemoryClass> sealedFor, byte[] value) throws StoreException;
  }

  /** Receives sync values from {@link #syncScan}. */
  @FunctionalInterface
  interface SyncVisitor {
    /** Returns false to stop the scan. */
    boolean visit(byte[] key, byte[] value) throws StoreException;
  }

  /** Receives memories from {@link #scan}. */
  @FunctionalInterface
  interface Visitor {
    /** Returns false to stop the scan. */
    boolean visit(Memory memory);
  }
}
