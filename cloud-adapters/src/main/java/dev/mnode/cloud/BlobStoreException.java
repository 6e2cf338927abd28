package dev.mnode.cloud;

/**
 * A relay store could not do what was asked; {@link #reason()} says why. The message is one line
 * naming the store and the operation, and never contains a credential.
 */
public final class BlobStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a store operation failed. */
  public enum Reason {
    /** The bucket, folder or account root does not exist. */
    NOT_FOUND,
    /** The credentials were refused or lack a permission. */
    DENIED,
    /** The store could not be reached or answered with a server error; trying later may work. */
    UNAVAILABLE,
    /** The store holds something that cannot be one of our blobs (too large, wrong kind). */
    CORRUPT,
    /** The name clashes with a folder or file of another name. */
    CONFLICT,
    /** The store is not configured well enough to be used (no credentials, bad endpoint). */
    MISCONFIGURED,
    /** Local I/O or an answer the store's client could not classify. */
    IO
  }

  private final Reason reason;

  public BlobStoreException(Reason reason, String message) {
    super(oneLine(message));
    this.reason = reason;
  }

  public BlobStoreException(Reason reason, String message, Throwable cause) {
    super(oneLine(message), cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  private static String oneLine(String message) {
    return message.replaceAll("[\\r\\n]+", " ");
  }
}
