package dev.mnode.store;

/**
 * The master key given to open a store is not the key its key check was sealed under: another
 * store's key, a damaged key file, or the key a re-key replaced.
 */
public final class WrongKeyException extends StoreException {
  private static final long serialVersionUID = 1L;

  public WrongKeyException(String message) {
    super(message);
  }
}
