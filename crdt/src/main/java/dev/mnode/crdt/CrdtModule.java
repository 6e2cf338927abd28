package dev.mnode.crdt;

/** Builds the crdt module's implementations; the only place that constructs them. */
public final class CrdtModule {
  /** Default for how many entries per author an {@link AuthorLog} holds out of order. */
  public static final int DEFAULT_MAX_PENDING_PER_AUTHOR = 1024;

  private CrdtModule() {}

  /** Returns an empty memory document that writes as {@code actor}; {@link MemoryDoc#create} or apply changes next. */
  public static MemoryDoc newMemoryDoc(ActorId actor) {
    return AutomergeMemoryDoc.empty(actor);
  }

  /**
   * Loads a document saved by {@link MemoryDoc#save()}, to write as {@code actor} (which need not
   * be the actor that saved it).
   *
   * @throws MalformedException (DOCUMENT) if the bytes are longer than {@link
   *     MemoryDoc#MAX_SAVED_BYTES}, not a saved document (framing, checksum, chunk types), or
   *     Automerge cannot load them
   */
  public static MemoryDoc loadMemoryDoc(ByteString saved, ActorId actor) throws MalformedException {
    return AutomergeMemoryDoc.load(saved, actor);
  }

  /**
   * Returns an empty in-memory author log of one class that holds at most {@code
   * maxPendingPerAuthor} out-of-order entries per author.
   *
   * @throws IllegalArgumentException if {@code maxPendingPerAuthor} is negative
   */
  public static AuthorLog inMemoryAuthorLog(int maxPendingPerAuthor) {
    return new InMemoryAuthorLog(maxPendingPerAuthor);
  }
}
