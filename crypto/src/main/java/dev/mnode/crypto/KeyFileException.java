package dev.mnode.crypto;

/** The device key file cannot be used; {@link #reason()} says why. */
public final class KeyFileException extends CryptoException {
  private static final long serialVersionUID = 1L;

  /** Why a key file could not be used. */
  public enum Reason {
    MISSING,
    ALREADY_EXISTS,
    CORRUPT,
    UNSUPPORTED_VERSION,
    PASSPHRASE_REQUIRED,
    WRONG_PASSPHRASE,
    IO
  }

  private final Reason reason;

  public KeyFileException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KeyFileException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
