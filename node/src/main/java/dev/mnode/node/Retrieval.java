package dev.mnode.node;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.SealedFile;
import dev.mnode.index.Embedder;
import dev.mnode.index.IndexException;
import dev.mnode.index.IndexedMemory;
import dev.mnode.index.RecallIndex;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the {@link RecallIndex} in step with the store and on disk only sealed. The index opens
 * on first need: from its sealed snapshot ({@code index.sealed} in the home, under a random key
 * kept as a store secret), caught up through the store's change log. A snapshot that is missing,
 * damaged, built by another model, or older than the change log reaches is rebuilt from the store,
 * with a warning: recall never answers from an index it cannot trust.
 *
 * <p>The snapshot is rewritten when the changes it lacks would cost more than about a thousandth
 * of the index to redo (and at least {@value #MIN_SAVE_CHANGES}), and on close when anything
 * changed and the index is small; the change log is pruned up to what a snapshot holds.
 *
 * <p>Thread-safe.
 */
final class Retrieval implements AutoCloseable {
  static final String FILE = "index.sealed";
  static final String KEY_SECRET = "index-key";
  static final int MIN_SAVE_CHANGES = 64;
  /** Below this many memories a snapshot is cheap enough to write on every close that changed it. */
  static final int SMALL_INDEX = 20_000;
  static final int SCAN_BATCH = 1_000;

  private final Path file;
  private final MemoryStore store;
  private final Embedder embedder;
  private final Consumer<String> warn;
  private RecallIndex index;
  /** Changes applied to the index since its snapshot was written. */
  private long unsaved;

  Retrieval(Path home, MemoryStore store, Embedder embedder, Consumer<String> warn) {
    this.file = home.resolve(FILE);
    this.store = store;
    this.embedder = embedder;
    this.warn = warn;
  }

  /**
   * The index, opened (or rebuilt) and caught up with every change the store has; with {@code
   * vectors}, every memory's vector computed too (the model loads if it must), else only words and
   * facts are sure to be current.
   */
  synchronized RecallIndex index(ProgressListener progress, boolean vectors) throws NodeException {
    if (index == null) {
      index = open(progress);
    }
    catchUp(progress);
    if (vectors && index.pendingVectors() > 0) {
      try {
        index.embedPending((done, total) -> progress.progress("embedding", done, total));
      } catch (IndexException e) {
        throw new NodeException("cannot embed memories: " + e.getMessage(), e);
      }
    }
    return index;
  }

  /** Whether the index is open in this process. */
  synchronized boolean isOpen() {
    return index != null;
  }

  /** Applies memories just written to the open index, if it is open. */
  synchronized void written(List<Memory> memories, List<MemoryId> removed) throws NodeException {
    if (index == null) {
      return;
    }
    try {
      index.apply(memories.stream().map(Retrieval::indexed).toList(), removed.stream().map(MemoryId::toString).toList(), RecallIndex.Progress.NONE);
      unsaved += memories.size() + removed.size();
    } catch (IndexException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /** Gives the open index, if it is open, the vector already computed for memory {@code m}. */
  synchronized void offer(Memory m, float[] vector) {
    if (index != null) {
      index.offerVector(m.id().toString(), m.text(), vector);
    }
  }

  /** Rebuilds the index from the store, embedding every memory again. */
  synchronized int rebuild(ProgressListener progress) throws NodeException {
    if (index != null) {
      index.close();
      index = null;
    }
    index = build(progress);
    try {
      index.embedPending((done, total) -> progress.progress("embedding", done, total));
    } catch (IndexException e) {
      throw new NodeException("cannot embed memories: " + e.getMessage(), e);
    }
    save();
    return index.size();
  }

  private RecallIndex open(ProgressListener progress) throws NodeException {
    try (SealedFile key = key()) {
      RecallIndex loaded =
          key.read(file, ad(), in -> RecallIndex.readFrom(in, embedder));
      if (store.changedSince(loaded.changeSeq()).isEmpty()) {
        warn.accept("the recall index is older than the store's change log; rebuilding it");
        loaded.close();
        return build(progress);
      }
      return loaded;
    } catch (NoSuchFileException e) {
      return build(progress); // first use, or removed by the user: not worth a warning

    } catch (RecallIndex.OtherModelException e) {
      warn.accept(e.getMessage() + "; rebuilding the recall index");
      return build(progress);
    } catch (CryptoException | IOException e) {
      warn.accept("the recall index file is damaged (" + e.getMessage() + "); rebuilding it from the store");
      return build(progress);
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
  }

  /** An index of every memory in the store, as of the store's latest change. */
  private RecallIndex build(ProgressListener progress) throws NodeException {
    long total = store.counts().values().stream().mapToLong(Long::longValue).sum();
    RecallIndex fresh = RecallIndex.empty(embedder, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, total)));
    try {
      long seq = store.changeSeq();
      List<IndexedMemory> batch = new ArrayList<>(SCAN_BATCH);
      long[] done = {0};
      IndexException[] failure = {null};
      progress.progress("indexing", 0, total);
      store.scan(
          Optional.empty(),
          m -> {
            batch.add(indexed(m));
            if (batch.size() == SCAN_BATCH) {
              failure[0] = applyBatch(fresh, batch, done, total, progress);
            }
            return failure[0] == null;
          });
      if (failure[0] == null) {
        failure[0] = applyBatch(fresh, batch, done, total, progress);
      }
      if (failure[0] != null) {
        throw failure[0];
      }
      fresh.setChangeSeq(seq);
      unsaved = Math.max(1, done[0]);
      return fresh;
    } catch (IndexException e) {
      fresh.close();
      throw new NodeException("cannot build the recall index: " + e.getMessage(), e);
    } catch (StoreException e) {
      fresh.close();
      throw new NodeException(e.getMessage(), e);
    }
  }

  private static IndexException applyBatch(
      RecallIndex index, List<IndexedMemory> batch, long[] done, long total, ProgressListener progress) {
    try {
      index.apply(batch, List.of(), RecallIndex.Progress.NONE);
    } catch (IndexException e) {
      return e;
    }
    done[0] += batch.size();
    batch.clear();
    progress.progress("indexing", done[0], total);
    return null;
  }

  private void catchUp(ProgressListener progress) throws NodeException {
    try {
      long target = store.changeSeq();
      if (target == index.changeSeq()) {
        return;
      }
      Optional<Set<MemoryId>> changed = store.changedSince(index.changeSeq());
      if (changed.isEmpty()) {
        warn.accept("the recall index lost track of the store; rebuilding it");
        index.close();
        index = build(progress);
        return;
      }
      List<IndexedMemory> puts = new ArrayList<>();
      List<String> removals = new ArrayList<>();
      for (MemoryId id : changed.get()) {
        Optional<Memory> m = store.get(id);
        if (m.isPresent()) {
          puts.add(indexed(m.get()));
        } else {
          removals.add(id.toString());
        }
      }
      index.apply(puts, removals, (done, total) -> progress.progress("indexing", done, total));
      index.setChangeSeq(target);
      unsaved += changed.get().size();
      if (unsaved >= Math.max(MIN_SAVE_CHANGES, index.size() / 1000)) {
        save();
      }
    } catch (StoreException | IndexException e) {
      throw new NodeException("cannot update the recall index: " + e.getMessage(), e);
    }
  }

  /** Writes the snapshot and prunes the change log up to it (and up to what sync has read). */
  private void save() throws NodeException {
    try (SealedFile key = key()) {
      long seq = index.changeSeq();
      key.write(file, ad(), index::writeTo);
      // The replica reads the same log to turn local writes into sync changes: keep what it has not read.
      store.pruneChanges(Math.min(seq, dev.mnode.node.sync.Replica.ingested(store).orElse(Long.MAX_VALUE)));
      unsaved = 0;
    } catch (IOException | StoreException e) {
      // The store stays the truth: the next open catches up or rebuilds.
      warn.accept("cannot save the recall index: " + e.getMessage());
    }
  }

  private SealedFile key() throws NodeException {
    try {
      return FileKeys.of(store, KEY_SECRET);
    } catch (StoreException | CryptoException e) {
      throw new NodeException("cannot get the recall index key: " + e.getMessage(), e);
    }
  }

  private byte[] ad() {
    return ("mnode/recall-index/v1|" + store.info().vaultId()).getBytes(StandardCharsets.US_ASCII);
  }

  static IndexedMemory indexed(Memory m) {
    return new IndexedMemory(
        m.id().toString(), m.text(), m.memoryClass().name(), m.tags(), m.source(), m.created(), m.importance(), m.pinned(),
        dev.mnode.node.aging.Compactor.isArchived(m));
  }

  /**
   * Writes the index snapshot now (so it no longer holds forgotten memories) and prunes the change
   * log as far as the index and sync have read it.
   */
  synchronized void persist(ProgressListener progress) throws NodeException {
    index(progress, false);
    save();
  }

  /**
   * Seals the snapshot again under a fresh key, which replaces the old one in the store: a copy
   * of the old snapshot no longer opens with any key the store holds (once the store is re-keyed,
   * which seals the old key's row under a master key that is gone). The key is replaced first: a
   * crash before the new snapshot is written leaves one that does not open, which is rebuilt.
   */
  synchronized void rekey(ProgressListener progress) throws NodeException {
    index(progress, false);
    try {
      FileKeys.replace(store, KEY_SECRET);
    } catch (StoreException e) {
      throw new NodeException("cannot replace the recall index key: " + e.getMessage(), e);
    }
    save();
  }

  /** Closes the index and deletes its file: the store moved to another vault (and holds nothing). */
  synchronized void discard() {
    if (index != null) {
      index.close();
      index = null;
    }
    unsaved = 0;
    try {
      java.nio.file.Files.deleteIfExists(file);
    } catch (java.io.IOException e) {
      warn.accept("cannot delete " + file + ": " + e.getMessage());
    }
  }

  /** Saves the snapshot when the index changed and saving is cheap, then closes it. */
  @Override
  public synchronized void close() {
    if (index == null) {
      return;
    }
    try {
      if (unsaved > 0 && (index.size() <= SMALL_INDEX || unsaved >= Math.max(MIN_SAVE_CHANGES, index.size() / 1000))) {
        save();
      }
    } catch (NodeException e) {
      warn.accept(e.getMessage());
    } finally {
      index.close();
      index = null;
    }
  }
}
