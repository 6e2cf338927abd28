package dev.mnode.crypto;

/** A sealed bundle was rejected; {@link #reason()} says why, for counting and reporting. */
public final class BundleException extends CryptoException {
  private static final long serialVersionUID = 1L;

  /** Why a bundle was rejected. */
  public enum Reason {
    MALFORMED,
    BAD_SIGNATURE,
    NO_KEY,
    DOES_NOT_OPEN,
    BAD_PADDING
  }

  private final Reason reason;

  public BundleException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
