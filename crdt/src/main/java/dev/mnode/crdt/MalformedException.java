package dev.mnode.crdt;

/**
 * Bytes from a peer or from disk are not what they claim to be; {@link #kind()} says which format.
 * Nothing was changed by the call that threw it, unless its documentation says otherwise.
 */
public final class MalformedException extends CrdtException {
  private static final long serialVersionUID = 1L;

  /** Which input was malformed. */
  public enum Kind {
    /** Automerge change bytes: framing, checksum, chunk type or content Automerge refused. */
    CHANGE,
    /** A saved memory document, or a document whose content breaks the memory schema. */
    DOCUMENT,
    /** An encoded {@link VersionVector}. */
    VERSION_VECTOR,
    /** An encoded membership operation ({@code dev.mnode.crdt.membership.Operation}). */
    MEMBERSHIP_OPERATION,
    /** An encoded {@link ClassSnapshot}. */
    SNAPSHOT
  }

  private final Kind kind;

  public MalformedException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public MalformedException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Returns which format was malformed. */
  public Kind kind() {
    return kind;
  }
}
