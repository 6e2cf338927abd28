package dev.mnode.crdt.membership;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link MembershipLog#receive} did with an operation.
 *
 * @param status what happened to it
 * @param reason why it was rejected; present exactly when {@code status} is REJECTED
 * @param detail a one-line explanation, empty when there is nothing to say
 * @param stored the operations that joined the log because of this call, in the order they were stored (parents first): the
 *     received one and any held ones it released; empty unless {@code status} is STORED
 */
public record ReceiveResult(Status status, Optional<Rejection> reason, String detail, List<OperationId> stored) {
  /** What happened to a received operation. */
  public enum Status {
    /** Valid against its causal past: it joined the log (with any held operations it released). */
    STORED,
    /** A parent is missing: it is held until the parent arrives. */
    HELD,
    /** The log already has or holds it. */
    DUPLICATE,
    /** Refused; see {@link #reason}. Other operations are unaffected. */
    REJECTED
  }

  /** @throws IllegalArgumentException if reason and stored do not fit the status */
  public ReceiveResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    stored = List.copyOf(stored);
    if ((status == Status.REJECTED) != reason.isPresent()) {
      throw new IllegalArgumentException(status + " with reason " + reason);
    }
    if ((status == Status.STORED) == stored.isEmpty()) {
      throw new IllegalArgumentException(status + " with " + stored.size() + " stored operations");
    }
  }

  static ReceiveResult rejected(Rejection reason, String detail) {
    return new ReceiveResult(Status.REJECTED, Optional.of(reason), detail, List.of());
  }

  static ReceiveResult of(Status status) {
    return new ReceiveResult(status, Optional.empty(), "", List.of());
  }
}
