package dev.mnode.p2p;

/**
 * A libp2p operation failed: the one checked exception of this module's network API. {@link
 * #reason()} says which kind of failure it was; the message says what and where, on one line.
 * Whatever the reason, only the connection or stream concerned is affected, never the host.
 */
public final class P2pException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Reason {
    /** The security and muxer handshake did not finish within the configured time. */
    HANDSHAKE_TIMEOUT,
    /** A blocking read, write or request on a stream waited longer than the stream timeout. */
    TIMEOUT,
    /** The peer broke a protocol: malformed or unexpected bytes, a bad signature, a bad frame. */
    PROTOCOL_VIOLATION,
    /** A frame or message was longer than its configured or specified maximum. */
    TOO_LONG,
    /** The connection already has the maximum number of streams. */
    TOO_MANY_STREAMS,
    /** The host already has the maximum number of connections. */
    TOO_MANY_CONNECTIONS,
    /** The peer authenticated as another peer than the address named. */
    PEER_MISMATCH,
    /** The connection gate refused the peer. */
    REFUSED,
    /** The peer does not speak the requested protocol (multistream-select answered {@code na}). */
    UNSUPPORTED_PROTOCOL,
    /** The stream was reset, or the connection or host closed, before the operation finished. */
    CLOSED,
    /** A socket operation failed (connection refused, unreachable, bind failed). */
    IO,
  }

  private final Reason reason;

  /** Creates an exception of {@code reason} with a one-line {@code message}. */
  public P2pException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Creates an exception of {@code reason} with a one-line {@code message} and its cause. */
  public P2pException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Returns what kind of failure this is. */
  public Reason reason() {
    return reason;
  }
}
