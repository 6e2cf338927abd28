package dev.mnode.node;

/** No memory has the id that was asked for. */
public final class NotFoundException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String id) {
    super("no memory with id " + id);
  }

  private NotFoundException(String message, boolean whole) {
    super(message);
  }

  /** Something other than a memory is missing: {@code message} says what. */
  public static NotFoundException saying(String message) {
    return new NotFoundException(message, true);
  }
}
