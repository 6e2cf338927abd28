package dev.mnode.p2p.multiformats;

/**
 * Bytes or text that should hold a multiformat value (varint, multibase text, multihash, libp2p
 * key, peer id, multiaddr) do not; {@link #reason()} says how. It reports bad input from a peer, a
 * file or a user, never a bug in the caller. Messages are one line and quote untrusted input only
 * through {@link #excerpt(CharSequence)}.
 */
public final class MultiformatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Longest excerpt of untrusted text quoted in a message. */
  public static final int MAX_EXCERPT_CHARS = 64;

  /** Why input was rejected. */
  public enum Reason {
    /** The input ends inside a value it started; more bytes from a stream may complete it. */
    TRUNCATED,
    /**
     * The input breaks the format: a bad character, a non-minimal encoding, a wrong structure or a
     * value out of range.
     */
    MALFORMED,
    /** The input is longer than a named limit allows. */
    TOO_LONG,
    /**
     * The input is well formed but names something this implementation does not handle: a key type,
     * multiaddr protocol or multibase, or a public key that a peer id does not contain.
     */
    UNSUPPORTED
  }

  /** Why the input was rejected. */
  private final Reason reason;

  /** Creates an exception for {@code reason} with a one-line {@code message}. */
  public MultiformatException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns why the input was rejected. */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns an exception with the same reason whose message starts with {@code context} (for
   * example the multiaddr component that held the bad value), keeping this one as its cause.
   */
  public MultiformatException withContext(String context) {
    MultiformatException e = new MultiformatException(reason, context + ": " + getMessage());
    e.initCause(this);
    return e;
  }

  /**
   * Returns a short, single-line, printable form of untrusted text for an error message: at most
   * {@link #MAX_EXCERPT_CHARS} characters, with control and non-ASCII characters escaped as {@code
   * \\uXXXX}.
   */
  public static String excerpt(CharSequence text) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(text.length(), MAX_EXCERPT_CHARS);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    if (text.length() > n) {
      sb.append("...(").append(text.length()).append(" chars)");
    }
    return sb.toString();
  }
}
