package dev.mnode.crdt;

/**
 * Changes, a document or an encoding from elsewhere could not be accepted. Subclasses say why:
 * {@link MalformedException}, {@link EquivocationException}, {@link PendingLimitException}.
 */
public class CrdtException extends Exception {
  private static final long serialVersionUID = 1L;

  public CrdtException(String message) {
    super(message);
  }

  public CrdtException(String message, Throwable cause) {
    super(message, cause);
  }
}
