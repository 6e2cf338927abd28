package dev.mnode.crdt.membership;

import dev.mnode.crdt.CrdtException;

/** A membership operation cannot be accepted; {@link #reason()} says why. Nothing was changed. */
public final class MembershipException extends CrdtException {
  private static final long serialVersionUID = 1L;

  private final Rejection reason;

  public MembershipException(Rejection reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Returns why the operation was refused. */
  public Rejection reason() {
    return reason;
  }
}
