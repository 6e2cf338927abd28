package dev.mnode.node;

import dev.mnode.store.Memory;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * What a device's node offers its user and apps. Every write is durable when the call returns.
 * Invalid requests throw {@link InvalidInputException} and change nothing.
 *
 * <p>Thread-safe.
 */
public interface MemoryService extends AutoCloseable {
  /**
   * Stores a new memory. Unless {@code allowDuplicate}, a memory of the same class that states the
   * same fact ({@link dev.mnode.index.Duplicates}) is returned instead, marked duplicate, and
   * nothing is stored.
   */
  Remembered remember(MemoryDraft draft, boolean allowDuplicate) throws NodeException;

  /**
   * As {@link #remember(MemoryDraft, boolean)}; a draft without a class gets one proposed among
   * {@code writable} only (every class when null): what an app may write. The proposal, its
   * confidence and a review flag when it was unsure are in the memory's metadata ({@link
   * dev.mnode.node.classify.ClassMetadata}).
   */
  default Remembered remember(
      MemoryDraft draft, boolean allowDuplicate, java.util.@org.jspecify.annotations.Nullable Collection<String> writable)
      throws NodeException {
    return remember(draft, allowDuplicate);
  }

  /** Stores a new memory, duplicate or not, and returns it with its id and times. */
  default Memory remember(MemoryDraft draft) throws NodeException {
    return remember(draft, true).memory();
  }

  /**
   * Returns the memories that best answer {@code query}, best first: vector and word matches
   * fused, weighed by recency and importance, filtered. The first recall of a process opens the
   * index, building it (with {@code progress}) when it is missing or cannot be trusted.
   */
  List<RecallHit> recall(RecallQuery query, ProgressListener progress) throws NodeException;

  /** Rebuilds the recall index from the store, embedding every memory again; returns its size. */
  long reindex(ProgressListener progress) throws NodeException;

  /** Returns the memory with id {@code id}; {@link NotFoundException} when there is none. */
  Memory get(String id) throws NodeException;

  /** Returns memories that match {@code query}, newest first. */
  List<Memory> list(ListQuery query) throws NodeException;

  /** Applies {@code patch} to memory {@code id} and returns the result. */
  Memory update(String id, MemoryPatch patch) throws NodeException;

  /** Deletes memory {@code id}; {@link NotFoundException} when there is none. */
  void forget(String id) throws NodeException;

  /**
   * Imports JSON Lines. All or nothing on bad input: every line is parsed and validated before
   * anything is written, and the first bad line (malformed JSON, not UTF-8, invalid field, unknown
   * class) fails the import with its line number. Lines whose id is already in the store or
   * repeated in the file are skipped and counted. Valid input is written in durable batches.
   */
  default ImportSummary importJsonLines(InputStream in, long totalBytes, ProgressListener progress)
      throws NodeException {
    return importJsonLines(in, totalBytes, progress, true);
  }

  /**
   * As {@link #importJsonLines(InputStream, long, ProgressListener)}; unless {@code
   * allowDuplicates}, a line stating a fact its class already holds (in the store or earlier in
   * the file) is skipped and counted, as remember does. Checking embeds every imported memory.
   */
  ImportSummary importJsonLines(InputStream in, long totalBytes, ProgressListener progress, boolean allowDuplicates)
      throws NodeException;

  /** Writes every memory as JSON Lines, newest first; returns how many. */
  long exportJsonLines(OutputStream out, ProgressListener progress) throws NodeException;

  /** Returns class names in name order. */
  List<String> classes() throws NodeException;

  /** Adds a class; returns false when it already exists. */
  boolean addClass(String name) throws NodeException;

  /** The vault's devices, peers and pairing (owner only). */
  dev.mnode.node.peer.VaultAdmin vault() throws NodeException;

  /** Returns a summary of the home. */
  NodeStatus status() throws NodeException;

  @Override
  void close();
}
