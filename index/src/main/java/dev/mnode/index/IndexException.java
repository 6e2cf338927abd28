package dev.mnode.index;

/** Building or querying an index failed; the message says what. */
public class IndexException extends Exception {
  private static final long serialVersionUID = 1L;

  public IndexException(String message) {
    super(message);
  }

  public IndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
