package dev.mnode.store.rocks;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.SyncFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One re-key of a store ({@link MemoryStore#rekey}), in four steps, each durable before the next:
 *
 * <pre>
 * 1 begin   one batch: every class gets a new id with a fresh key, and a fresh vault sealer; the
 *           ids they replace (and any a crashed re-key left) are marked "retiring/"; the new keys
 *           are sealed under the OLD master key. From here on every write seals under the new ids.
 * 2 move    memory rows, then every sync family, in batches of {@value MemoryStore#REKEY_BATCH}:
 *           a value under a retiring id (or the master key, id 0) is sealed again under its
 *           class's new id (or the new vault sealer); by_class rows and counts follow.
 * 3 finish  one batch: the key check, the current class keys, the vault sealer and every named
 *           secret sealed again under the NEW master key; the retiring ids' key rows, marks and
 *           counts deleted.
 * 4 compact (by the store) so that no row under an old key stays in a live file.
 * </pre>
 *
 * A crash before step 3's batch leaves a store that opens with the old master key, reads every
 * value (retiring keys are loaded with the rest) and reports {@link MemoryStore#rekeyPending};
 * the next re-key begins afresh (new ids again: keys made by a re-key that did not finish may
 * have sealed rows that a copy of the files holds). After step 3 the store opens with the new
 * master key only. Nothing is sealed under the new master key before step 3, so a re-key that
 * never finishes needs nothing but the old key.
 *
 * <p>Steps 1 and 3 hold the key table's lock exclusively (no value is being sealed or opened);
 * step 2 holds the store's write lock one batch at a time. Confined to the thread that runs it.
 */
final class Rekeying {
  /** Called after each step and after the first batch of each move; tests throw there. */
  @FunctionalInterface
  interface Checkpoint {
    void reached(String step) throws StoreException;
  }

  private final Schema schema;
  private final KeyTable keys;
  private final GroupCommit writes;
  private final ReentrantLock writeLock;
  private final Secrets secrets;
  private final WriteOptions syncWrites;
  private final String vaultId;
  private final String where;
  private final MemoryStore.RekeyProgress progress;
  private final Checkpoint checkpoint;

  Rekeying(
      Schema schema, KeyTable keys, GroupCommit writes, Secrets secrets, WriteOptions syncWrites, String vaultId,
      String where, MemoryStore.RekeyProgress progress, Checkpoint checkpoint) {
    this.schema = schema;
    this.keys = keys;
    this.writes = writes;
    this.writeLock = writes.lock();
    this.secrets = secrets;
    this.syncWrites = syncWrites;
    this.vaultId = vaultId;
    this.where = where;
    this.progress = progress;
    this.checkpoint = checkpoint;
  }

  /** Runs steps 1 to 3; takes ownership of {@code newMaster} (wiped unless it became the master key). */
  void run(StorageKey newMaster) throws StoreException {
    boolean adopted = false;
    try {
      begin();
      checkpoint.reached("begun");
      long total = writes.totalCount();
      moveMemories(total);
      checkpoint.reached("memories");
      for (SyncFamily f : SyncFamily.values()) {
        moveSync(f);
      }
      checkpoint.reached("sync");
      finish(newMaster);
      adopted = true;
      checkpoint.reached("finished");
    } catch (RocksDBException e) {
      throw new StoreException("re-key failed in " + where + ": " + e.getMessage(), e);
    } finally {
      if (!adopted) {
        newMaster.close();
      }
    }
  }

  /** Step 1: fresh keys under new ids; the ids they replace retire. */
  private void begin() throws RocksDBException {
    progress.progress("new keys", 0, -1);
    List<RocksMemoryStore.ClassEntry> fresh = new ArrayList<>();
    StorageKey sealer = StorageKey.generate();
    boolean published = false;
    keys.lock().writeLock().lock();
    writeLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      int next = keys.maxId();
      for (RocksMemoryStore.ClassEntry c : keys.currentEntries()) {
        RocksMemoryStore.ClassEntry e = new RocksMemoryStore.ClassEntry(++next, c.memoryClass(), StorageKey.generate());
        fresh.add(e);
        Schema.writeClass(batch, schema, vaultId, e.id(), e.memoryClass(), e.key(), schema.master());
        batch.put(schema.meta(), Schema.countKey(e.id()), Schema.longBytes(0));
        schema.writeRetiring(batch, c.id(), c.memoryClass().name());
      }
      int sealerId = ++next;
      schema.writeClassKey(batch, vaultId, sealerId, KeyTable.VAULT_SEALER, sealer, schema.master());
      schema.writeSealer(batch, sealerId);
      if (keys.sealerId() != 0) {
        schema.writeRetiring(batch, keys.sealerId(), KeyTable.VAULT_SEALER);
      }
      schema.db().write(syncWrites, batch);
      for (RocksMemoryStore.ClassEntry e : fresh) {
        keys.addCurrent(e);
        writes.setCount(e.id(), 0L);
      }
      keys.setSealer(new KeyTable.Sealer(sealerId, sealer));
      published = true;
    } finally {
      writeLock.unlock();
      keys.lock().writeLock().unlock();
      if (!published) {
        fresh.forEach(e -> e.key().close());
        sealer.close();
      }
    }
  }

  /** Step 2 for memory rows. */
  private void moveMemories(long total) throws RocksDBException, StoreException {
    long done = 0;
    byte @Nullable [] after = null;
    progress.progress("memories", 0, total);
    while (true) {
      List<byte[]> chunk = nextKeys(schema.memories(), after);
      if (chunk.isEmpty()) {
        return;
      }
      writeLock.lock();
      try (WriteBatch batch = new WriteBatch()) {
        Map<Integer, Long> delta = new HashMap<>();
        for (byte[] key : chunk) {
          byte[] value = schema.db().get(schema.memories(), key);
          if (value == null || !keys.isRetiring(SealedValues.classId(value))) {
            continue; // deleted since, or written under a current key
          }
          int from = SealedValues.classId(value);
          RocksMemoryStore.ClassEntry old = Objects.requireNonNull(keys.byId(from));
          RocksMemoryStore.ClassEntry now = Objects.requireNonNull(keys.current(old.memoryClass()));
          batch.put(schema.memories(), key, SealedValues.reseal(MemoryId.fromBytes(key, 0), value, old, now));
          batch.delete(schema.byClass(), Schema.byClassKey(from, key));
          batch.put(schema.byClass(), Schema.byClassKey(now.id(), key), new byte[0]);
          delta.merge(from, -1L, Long::sum);
          delta.merge(now.id(), 1L, Long::sum);
        }
        Map<Integer, Long> counts = writes.countsAfter(batch, delta);
        if (batch.count() > 0) {
          schema.db().write(syncWrites, batch);
        }
        writes.publishCounts(counts);
      } finally {
        writeLock.unlock();
      }
      done += chunk.size();
      after = chunk.get(chunk.size() - 1);
      progress.progress("memories", done, Math.max(done, total));
      checkpoint.reached("memories batch");
    }
  }

  /** Step 2 for one sync family. */
  private void moveSync(SyncFamily family) throws RocksDBException, StoreException {
    ColumnFamilyHandle h = schema.family(family.family());
    long done = 0;
    byte @Nullable [] after = null;
    while (true) {
      List<byte[]> chunk = nextKeys(h, after);
      if (chunk.isEmpty()) {
        return;
      }
      writeLock.lock();
      try (WriteBatch batch = new WriteBatch()) {
        for (byte[] key : chunk) {
          byte[] value = schema.db().get(h, key);
          if (value == null || value.length < 5) {
            continue; // deleted since; a damaged value stays as it is, to fail where it is read
          }
          int from = SyncValues.classId(value);
          if (from != 0 && !keys.isRetiring(from)) {
            continue;
          }
          StorageKey fromKey;
          int toId;
          StorageKey toKey;
          if (keys.isClassless(from)) {
            fromKey = from == 0 ? schema.master() : Objects.requireNonNull(keys.sealer(from));
            toId = keys.sealerId();
            toKey = Objects.requireNonNull(keys.sealer(toId));
          } else {
            RocksMemoryStore.ClassEntry old = Objects.requireNonNull(keys.byId(from));
            RocksMemoryStore.ClassEntry now = Objects.requireNonNull(keys.current(old.memoryClass()));
            fromKey = old.key();
            toId = now.id();
            toKey = now.key();
          }
          batch.put(h, key, SyncValues.reseal(vaultId, family, key, value, fromKey, toId, toKey));
        }
        if (batch.count() > 0) {
          schema.db().write(syncWrites, batch);
        }
      } finally {
        writeLock.unlock();
      }
      done += chunk.size();
      after = chunk.get(chunk.size() - 1);
      progress.progress(family.family(), done, -1);
      checkpoint.reached(family.family() + " batch");
    }
  }

  /** Step 3: everything the master key seals, under the new one; the retiring ids go. */
  private void finish(StorageKey newMaster) throws RocksDBException, StoreException {
    progress.progress("new master key", 0, -1);
    keys.lock().writeLock().lock();
    writeLock.lock();
    List<byte[]> raw = new ArrayList<>();
    try (WriteBatch batch = new WriteBatch()) {
      for (int id : keys.retiringIds()) {
        long left = writes.count(id);
        if (left != 0) {
          throw new StoreException("re-key left " + left + " memories under a retired key in " + where + "; run it again");
        }
      }
      schema.writeKeyCheck(batch, newMaster);
      for (RocksMemoryStore.ClassEntry c : keys.currentEntries()) {
        schema.writeClassKey(batch, vaultId, c.id(), c.memoryClass().name(), c.key(), newMaster);
      }
      schema.writeClassKey(
          batch, vaultId, keys.sealerId(), KeyTable.VAULT_SEALER, Objects.requireNonNull(keys.sealer(keys.sealerId())), newMaster);
      for (String name : secrets.names()) {
        try (SecretBytes s = secrets.get(name).orElseThrow()) {
          byte[] r = s.copy();
          raw.add(r);
          batch.put(schema.keys(), Schema.secretKey(name), newMaster.seal(r, Secrets.ad(vaultId, name)));
        }
      }
      for (int id : keys.retiringIds()) {
        schema.deleteRetired(batch, id);
      }
      schema.db().write(syncWrites, batch);
      schema.replaceMaster(newMaster);
      keys.dropRetiring();
    } finally {
      raw.forEach(r -> Arrays.fill(r, (byte) 0));
      writeLock.unlock();
      keys.lock().writeLock().unlock();
    }
  }

  /** Up to one batch of keys of {@code h} after {@code after} (from the first when null). */
  private List<byte[]> nextKeys(ColumnFamilyHandle h, byte @Nullable [] after) throws RocksDBException {
    List<byte[]> out = new ArrayList<>(MemoryStore.REKEY_BATCH);
    try (RocksIterator it = schema.db().newIterator(h)) {
      if (after == null) {
        it.seekToFirst();
      } else {
        it.seek(after);
        if (it.isValid() && Arrays.equals(it.key(), after)) {
          it.next();
        }
      }
      for (; it.isValid() && out.size() < MemoryStore.REKEY_BATCH; it.next()) {
        out.add(it.key());
      }
      it.status();
    }
    return out;
  }
}
