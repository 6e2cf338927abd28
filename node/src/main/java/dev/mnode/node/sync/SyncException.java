package dev.mnode.node.sync;

/** A sync operation this replica cannot perform. */
public class SyncException extends Exception {
  private static final long serialVersionUID = 1L;

  public SyncException(String message) {
    super(message);
  }

  public SyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
