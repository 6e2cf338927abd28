package dev.mnode.store;

/** Another process holds the store open; mnode stores have a single writer. */
public final class StoreInUseException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long pid;

  public StoreInUseException(long pid) {
    super("store is in use by pid " + pid);
    this.pid = pid;
  }

  /** The process id that holds the store, or -1 when it could not be read. */
  public long pid() {
    return pid;
  }
}
