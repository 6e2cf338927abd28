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
  /** Stores a new memory and returns it with its id and times. */
  Memory remember(MemoryDraft draft) throws NodeException;

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
  ImportSummary importJsonLines(InputStream in, long totalBytes, ProgressListener progress)
      throws NodeException;

  /** Writes every memory as JSON Lines, newest first; returns how many. */
  long exportJsonLines(OutputStream out, ProgressListener progress) throws NodeException;

  /** Returns class names in name order. */
  List<String> classes() throws NodeException;

  /** Adds a class; returns false when it already exists. */
  boolean addClass(String name) throws NodeException;

  /** Returns a summary of the home. */
  NodeStatus status() throws NodeException;

  @Override
  void close();
}
