package dev.mnode.node;

/** No memory has the id that was asked for. */
public final class NotFoundException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String id) {
    super("no memory with id " + id);
  }
}
