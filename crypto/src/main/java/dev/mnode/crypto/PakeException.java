package dev.mnode.crypto;

/**
 * A pairing PAKE run failed (see {@link PairingPake}). {@link #kind()} tells a malformed or
 * unprovable message from failed key confirmation; the message says which round, on one line, and
 * never how close a wrong code was. The run is over either way.
 */
public final class PakeException extends CryptoException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** A message had the wrong length, version, type or an encoding that is not a curve point. */
    MALFORMED,
    /** A message decoded but its zero-knowledge proofs (or J-PAKE's own checks) do not verify. */
    INVALID_PROOF,
    /**
     * The peer's key confirmation does not verify: the codes differ, or the messages were relayed
     * between two different channels (the contexts differ). The two cannot be told apart.
     */
    CONFIRMATION_FAILED,
  }

  private final Kind kind;

  /** Creates an exception of {@code kind} with a one-line {@code message}. */
  public PakeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** Creates an exception of {@code kind} with a one-line {@code message} and its cause. */
  public PakeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Returns what kind of failure this is. */
  public Kind kind() {
    return kind;
  }
}
