package dev.mnode.crypto;

/** A sealed archive ({@link SealedArchive}) cannot be opened; {@link #reason()} says why. */
public final class ArchiveException extends CryptoException {
  private static final long serialVersionUID = 1L;

  /** Why an archive does not open. */
  public enum Reason {
    /** The file does not start like an archive of ours, or ends inside its header. */
    NOT_AN_ARCHIVE,
    /** An archive of a format version or key-derivation cost this code does not read. */
    UNSUPPORTED,
    /** The phrase given does not derive the archive's key (or its header was altered). */
    WRONG_PHRASE
  }

  private final Reason reason;

  public ArchiveException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
