package dev.mnode.node.backup;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.node.ProgressListener;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.StoreException;
import dev.mnode.store.StoreInfo;
import dev.mnode.store.SyncFamily;
import dev.mnode.store.rocks.RocksStoreModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link Records} of an opened archive into a new store in a new home directory. Every
 * record is checked (order, counts, bounds, memory validation) and the stream must end, authentic,
 * right after END. Confined to its caller; the caller deletes the directory when this fails.
 */
final class ArchiveReader {
  /** Memories or sync rows per durable batch. */
  static final int BATCH = 2_000;

  /**
   * Sync state rows that cache facts about the store's change numbering, which a new store numbers
   * anew: the kept state digests (computed again on the next status) and how far the replica ingested
   * local writes (left out, with the change log pruned, so that the replica compares every row with
   * its document once and loses no write that was not yet ingested when the backup was made).
   */
  static final Set<String> RENUMBERED_STATE = Set.of("digests", "ingested");

  private final InputStream in;
  private final ProgressListener progress;
  private final Map<String, SyncFamily> families = new HashMap<>();
  private @Nullable MemoryStore store;
  private final List<Memory> memoryBatch = new ArrayList<>(BATCH);
  private StoreBatch syncBatch = new StoreBatch();
  private long classes;
  private long secrets;
  private long syncRows;
  private long memories;
  private long files;
  private long total = -1;
  private String device = "";
  private String vaultId = "";

  ArchiveReader(InputStream in, ProgressListener progress) {
    this.in = in;
    this.progress = progress;
    for (SyncFamily f : SyncFamily.values()) {
      families.put(f.family(), f);
    }
  }

  String device() {
    return device;
  }

  String vaultId() {
    return vaultId;
  }

  long memories() {
    return memories;
  }

  long syncRows() {
    return syncRows;
  }

  /**
   * Reads the whole archive into {@code home}: its store (created under {@code master}, which it
   * takes) and its files. Closes the store before returning, also on failure.
   */
  void restoreInto(Path home, StorageKey master) throws IOException, StoreException {
    try {
      Records.Record first = Records.read(in);
      if (first == null || first.type() != Records.INFO) {
        master.close();
        throw new Records.BackupFormatException("the backup does not start with its description");
      }
      Records.In info = first.in();
      int format = info.u16();
      if (format != Records.FORMAT) {
        master.close();
        throw new Records.BackupFormatException("the backup's content is in format " + format + "; this mnode reads " + Records.FORMAT);
      }
      vaultId = info.str();
      Instant created = Instant.ofEpochMilli(info.i64());
      device = info.str();
      total = info.i64();
      info.end();
      store = RocksStoreModule.recreate(home.resolve("store"), master, new StoreInfo(vaultId, MemoryStore.SCHEMA_VERSION, created));
      for (Records.Record r; (r = Records.read(in)) != null; ) {
        if (r.type() == Records.END) {
          end(r.in());
          if (in.read() >= 0) {
            throw new Records.BackupFormatException("the backup holds data after its end");
          }
          return;
        }
        apply(r, home);
      }
      throw new Records.BackupFormatException("the backup ends before its last record");
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  private void apply(Records.Record r, Path home) throws IOException, StoreException {
    Records.In p = r.in();
    switch (r.type()) {
      case Records.FILE -> {
        String name = p.str();
        byte[] body = p.bytes();
        p.end();
        if (!ArchiveWriter.FILES.contains(name)) {
          throw new Records.BackupFormatException("the backup holds an unknown file " + name);
        }
        Files.write(Files.createFile(home.resolve(name), Backups.OWNER_FILE), body);
        files++;
      }
      case Records.CLASS -> {
        MemoryClass c = valid(p.str());
        p.end();
        store().addClass(c);
        classes++;
      }
      case Records.SECRET -> {
        String name = p.str();
        byte[] raw = p.bytes();
        p.end();
        try (SecretBytes s = SecretBytes.copyOf(raw)) {
          store().putSecret(name, s);
        } catch (IllegalArgumentException e) {
          throw new Records.BackupFormatException("the backup holds a secret of invalid name");
        } finally {
          Arrays.fill(raw, (byte) 0);
        }
        secrets++;
      }
      case Records.SYNC -> {
        SyncFamily f = families.get(p.str());
        String sealedFor = p.str();
        byte[] key = p.bytes();
        byte[] value = p.bytes();
        p.end();
        if (f == null || key.length == 0 || key.length > StoreBatch.MAX_SYNC_KEY) {
          throw new Records.BackupFormatException("the backup holds a sync row of unknown family or bad key");
        }
        syncRows++;
        if (f == SyncFamily.STATE && RENUMBERED_STATE.contains(new String(key, StandardCharsets.ISO_8859_1))) {
          return;
        }
        syncBatch.putSync(f, key, sealedFor.isEmpty() ? Optional.empty() : Optional.of(valid(sealedFor)), value);
        Arrays.fill(value, (byte) 0);
        if (syncBatch.size() >= BATCH) {
          flushSync();
        }
      }
      case Records.MEMORY -> {
        flushSync();
        memoryBatch.add(p.memory());
        memories++;
        if (memoryBatch.size() >= BATCH) {
          flushMemories();
        }
      }
      default -> throw new Records.BackupFormatException("the backup holds a record of unknown type " + r.type());
    }
  }

  private void end(Records.In p) throws IOException, StoreException {
    long[] want = {p.i64(), p.i64(), p.i64(), p.i64(), p.i64()};
    p.end();
    flushSync();
    flushMemories();
    long[] got = {classes, secrets, syncRows, memories, files};
    if (!Arrays.equals(want, got) || (total >= 0 && total != memories)) {
      throw new Records.BackupFormatException("the backup's content does not match its own counts");
    }
    // The new store numbered every restored row as a change; its replica compares them all once.
    store().pruneChanges(store().changeSeq());
    store().flush();
  }

  private void flushSync() throws StoreException {
    if (!syncBatch.isEmpty()) {
      store().write(syncBatch);
      syncBatch = new StoreBatch();
    }
  }

  private void flushMemories() throws StoreException {
    if (!memoryBatch.isEmpty()) {
      store().putAll(memoryBatch);
      memoryBatch.clear();
      progress.progress("memories", memories, total);
    }
  }

  private MemoryStore store() {
    if (store == null) {
      throw new IllegalStateException("no store yet");
    }
    return store;
  }

  private static MemoryClass valid(String name) throws Records.BackupFormatException {
    try {
      return new MemoryClass(name);
    } catch (IllegalArgumentException e) {
      throw new Records.BackupFormatException("the backup holds an invalid class name");
    }
  }
}
