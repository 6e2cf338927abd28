package dev.mnode.crdt;

/**
 * Too many entries are already waiting for their predecessors; the new one was refused and must be
 * offered again once the gap is filled.
 */
public final class PendingLimitException extends CrdtException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  public PendingLimitException(int limit, String message) {
    super(message);
    this.limit = limit;
  }

  /** How many entries may wait. */
  public int limit() {
    return limit;
  }
}
