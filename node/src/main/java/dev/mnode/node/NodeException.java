package dev.mnode.node;

/** An operation of the node failed; the message is one line fit to show a user. */
public class NodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public NodeException(String message) {
    super(message);
  }

  public NodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
