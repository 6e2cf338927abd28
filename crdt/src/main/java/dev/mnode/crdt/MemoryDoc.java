package dev.mnode.crdt;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * One memory as one small Automerge document. Made by {@link CrdtModule#newMemoryDoc} or {@link
 * CrdtModule#loadMemoryDoc}; every change it writes is by the actor it was opened with.
 *
 * <p>The document's root map holds:
 *
 * <pre>
 * schema      int 1
 * id          string     the memory id
 * text        string     replaced whole; concurrent edits: Automerge's winner
 * class       string
 * tags        map        tag -> true          (a set, see Merging below)
 * importance  float64    0..1
 * source      string
 * created     string     ISO-8601 instant, Instant.toString(), written once by create
 * updated     string     ISO-8601 instant, written by every update that changes something;
 *                        concurrent updates: Automerge's winner; read as no earlier than created
 * pinned      bool
 * metadata    map        key -> string        (merged per key)
 * links       map        memory id -> true    (a set, like tags)
 * forgotten   bool true  absent until forget(); nothing ever writes false
 * </pre>
 *
 * Keys of the three inner maps are escaped by {@code KeyCodec} (automerge-java 0.0.7 refuses map
 * keys with U+0000 or characters beyond U+FFFF). Times are ISO strings rather than epoch
 * nanoseconds because automerge-java 0.0.7 writes {@code NewValue.integer(long)} as a float64.
 *
 * <p>Merging: concurrent edits of different fields (or different tags, metadata keys, links) all
 * survive; concurrent writes of one scalar resolve to the same winner on every device by
 * Automerge's rule (the operation with the greater Lamport counter, then the greater actor id); a
 * removal of a tag removes only the addition the removing device had seen, so a concurrent
 * re-addition survives. Concurrent update and forget resolve to forgotten, since {@code forgotten}
 * is a flag no operation clears.
 *
 * <p>Changes whose dependencies are missing are held by this object (not handed to Automerge) and
 * applied as soon as the dependencies arrive; they are part of {@link #save()}, so they survive a
 * save and load. Applying is idempotent. The materialized state depends only on the set of
 * changes applied, not on their order; {@link #save()} bytes can differ with the order (Automerge
 * stores changes in the order they were applied).
 *
 * <p>Not thread-safe: confine an instance to one thread. It holds native memory: {@link #close()}
 * it.
 */
public interface MemoryDoc extends AutoCloseable {
  /** Current version of the document layout above. */
  int SCHEMA = 1;
  /** Most changes a document holds waiting for their dependencies. */
  int MAX_HELD_CHANGES = 256;
  /** Largest saved document {@link CrdtModule#loadMemoryDoc} accepts. */
  int MAX_SAVED_BYTES = 64 * 1024 * 1024;

  /** Returns the actor this document writes as. */
  ActorId actor();

  /**
   * Writes the memory's first change: every field of {@code fields} under {@code id}.
   *
   * @return the change, to seal and send
   * @throws IllegalArgumentException if {@code id} is not 1 to {@value MemoryFields#MAX_ID_CHARS}
   *     printable ASCII characters or the memory links to itself
   * @throws IllegalStateException if this document already has or holds changes, or is closed
   */
  Changes create(String id, MemoryFields fields);

  /**
   * Writes the fields {@code edit} changes, and only those: a value equal to the current one is not
   * written, a tag already present is not added again, a tag or key absent is not removed.
   *
   * @return the change, or empty if the edit changes nothing
   * @throws IllegalArgumentException if the result would add beyond a count limit of {@link
   *     MemoryFields} or link the memory to itself
   * @throws IllegalStateException if the memory is forgotten or not created yet, or the document is
   *     closed
   * @throws MalformedException (DOCUMENT) if the document's content breaks the memory schema
   */
  Optional<Changes> update(MemoryEdit edit) throws MalformedException;

  /**
   * Marks the memory forgotten. No operation undoes it: the memory materializes as empty on every
   * device that has this change, whatever else they apply.
   *
   * @return the change, or empty if it was forgotten already
   * @throws IllegalStateException if the memory is not created yet, or the document is closed
   */
  Optional<Changes> forget();

  /**
   * Applies changes from another device (or the same changes again). Changes already applied or
   * held are skipped; changes whose dependencies are all applied are applied, in dependency order;
   * the others are held until their dependencies arrive. The input is checked as a whole before
   * anything changes: on {@link EquivocationException} or {@link PendingLimitException} nothing
   * changed.
   *
   * @throws EquivocationException if a change has the actor and seq of a different change this
   *     document has applied or holds
   * @throws PendingLimitException if more than {@value #MAX_HELD_CHANGES} changes would be held
   * @throws MalformedException (CHANGE) if Automerge refuses a change whose dependencies were all
   *     present; this object is then unusable (every later call throws {@link
   *     IllegalStateException}): close it and load the last save
   * @throws IllegalStateException if the document is closed or unusable
   */
  ApplyResult applyChanges(Changes changes) throws CrdtException;

  /**
   * Returns the memory as the document reads now.
   *
   * @return empty if the memory is forgotten, or not created yet (its first change has not been
   *     applied)
   * @throws MalformedException (DOCUMENT) if the content breaks the memory schema: a field missing
   *     or of the wrong type, a value breaking a limit of {@link MemoryFields}, an unknown schema
   */
  Optional<MemoryState> materialize() throws MalformedException;

  /** Returns whether a forget change has been applied. */
  boolean isForgotten();

  /** Returns the hashes of the applied changes nothing else applied depends on, sorted. */
  List<ChangeHash> heads();

  /**
   * Returns every applied change not reachable from {@code heads}, in dependency order: what a
   * device at {@code heads} lacks. Hashes this document does not know are ignored, so the result
   * may include changes the other side has; applying them there again is harmless. Held changes
   * are not included.
   *
   * @return empty if there is nothing to send
   */
  Optional<Changes> changesSince(Collection<ChangeHash> heads);

  /** Returns how many changes are held waiting for dependencies. */
  int heldCount();

  /** Returns the hashes the held changes wait for (neither applied nor held), sorted. */
  SortedSet<ChangeHash> missingDependencies();

  /**
   * Returns the document as bytes for {@link CrdtModule#loadMemoryDoc}: Automerge's saved document
   * chunk followed by the held change chunks, which is also what Automerge itself would load.
   */
  ByteString save();

  /** Frees the native document. Idempotent; every other method then throws. */
  @Override
  void close();
}
