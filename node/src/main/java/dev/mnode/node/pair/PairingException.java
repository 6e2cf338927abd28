package dev.mnode.node.pair;

/**
 * Pairing failed: the one checked exception of this package. {@link #reason()} says why; the
 * message says what and where, on one line, and never carries a code or a secret.
 */
public final class PairingException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why pairing failed. */
  public enum Reason {
    /** The text typed is not a pairing code (a number and two words from the list). */
    MALFORMED_CODE,
    /**
     * The codes differ, or the run was relayed between two connections (a man in the middle): the
     * key confirmation cannot tell the two apart. Each such run uses up one attempt of the offer.
     */
    WRONG_CODE,
    /**
     * The member has no open offer: none was made, or it expired, was used, was cancelled or was
     * closed after too many failed attempts. A joiner is not told which (see {@link
     * PairingResponder}).
     */
    NO_OFFER,
    /** The offer reached its time to live (reported on the member's side only). */
    EXPIRED,
    /**
     * The offer or the stream closed before pairing finished: too many failed attempts, the peer
     * went away, or it did not acknowledge the welcome.
     */
    CLOSED,
    /** The offer was cancelled on the member's device (reported on the member's side only). */
    CANCELLED,
    /** The member proved the code but its admission step refused or failed. */
    REFUSED,
    /** The peer broke the pairing protocol: a malformed, oversized or unexpected message. */
    PROTOCOL,
    /** The connection could not be made or broke (dial failure, timeout, reset). */
    NETWORK,
  }

  private final Reason reason;

  /** Creates an exception of {@code reason} with a one-line {@code message}. */
  public PairingException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Creates an exception of {@code reason} with a one-line {@code message} and its cause. */
  public PairingException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Returns why pairing failed. */
  public Reason reason() {
    return reason;
  }
}
