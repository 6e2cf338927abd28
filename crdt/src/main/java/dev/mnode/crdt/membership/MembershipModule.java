package dev.mnode.crdt.membership;

/** Builds the membership log; the only place that constructs its implementation. */
public final class MembershipModule {
  private MembershipModule() {}

  /**
   * Returns a log holding only {@code genesis}, which names the vault and its first member. A
   * joining device gets the genesis with the vault secret when it pairs, then receives the rest.
   *
   * @param maxHeld how many operations may wait for missing parents
   * @throws MembershipException (BAD_SIGNATURE) if the genesis is not signed by its author
   * @throws IllegalArgumentException if {@code genesis} is not a GENESIS or {@code maxHeld} is
   *     negative
   */
  public static MembershipLog startFrom(Operation genesis, int maxHeld) throws MembershipException {
    return new DagMembershipLog(genesis, maxHeld);
  }
}
