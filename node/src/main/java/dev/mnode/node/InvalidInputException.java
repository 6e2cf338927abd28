package dev.mnode.node;

/** The request itself is wrong (bad text, class, importance, id or import line); nothing changed. */
public class InvalidInputException extends NodeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
