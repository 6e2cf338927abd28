package dev.mnode.crdt.membership;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.IdentityKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;

/**
 * A vault's membership log on one device: the DAG of valid {@link Operation}s received or written
 * here, and the membership it replays to. Made by {@link MembershipModule#startFrom}.
 *
 * <p><b>Replay.</b> Operations are applied in one topological order, ties broken by ascending
 * {@link OperationId}; every device with the same operations gets the same state, whatever order
 * they arrived in.
 *
 * <p><b>Validity.</b> An operation is stored only if it is valid against the state of its causal
 * past (its ancestors, replayed by the same rules): its author is a member there and not revoked;
 * it grants (genesis, add, grant) only classes its author holds there, or classes the past does not
 * know yet (which it creates at epoch 1); an ungrant names a subject holding every class named
 * while the author holds them too; a revoke, ungrant, grant or rename names a member not revoked
 * there; an add names a device that was never a member; nobody ungrants or revokes itself. Invalid
 * operations are rejected (and counted); so are operations naming a rejected parent.
 *
 * <p><b>Revoke wins.</b> A stored revoke always counts. Any other operation by a device counts only
 * if it is in the causal past of every revocation of that device: one concurrent with a revocation
 * is kept in the DAG (others may build on it) but has no effect. Two devices that revoke each other
 * concurrently are therefore both revoked.
 *
 * <p><b>Consequences.</b> An operation that counts is applied, in replay order, only as far as the
 * replayed state allows: it is skipped if its author is not a member there (for example a device
 * added only by an operation that does not count), or is revoked there and it is not a revoke; a
 * grant or add gives only the classes its author holds there or that it creates itself. So what a
 * revoked device did concurrently with its revocation cannot survive through the devices it added
 * or the classes it granted. Other concurrent operations apply in replay order (for example a grant
 * and an ungrant of one class to one device: the later in the replay wins; a revoked device gains
 * nothing). A rename of a device counts only if it is in the causal past of every revocation of
 * that device, so a revoked device keeps the name its revokers knew, whatever the replay order.
 *
 * <p><b>Epochs.</b> An ungrant or a rotate starts a new epoch of every class it names, a revoke of
 * every class its subject held in its causal past; an operation that first grants a class starts its
 * epoch 1. A rotate changes no holder: compaction writes it so that older epoch keys can go.
 * Any member may revoke, including a device that does not hold every class of the revoked one (a
 * user who lost a device needs that): its node makes the new key of such a class, sends it to the
 * holders and keeps no copy.
 * The number is one more than the highest epoch of that class in the operation's causal past
 * (Lamport), so it never changes once assigned. Concurrent rotations of one class get the same
 * number; their candidate keys combine, in operation-id order, with {@link
 * dev.mnode.crypto.EpochKeys#combine} ({@link #rotations}). Epoch numbers may skip a value whose
 * only rotations were cancelled by a revocation.
 *
 * <p><b>Revocation cuts.</b> A revoke carries a cut ({@link Operation#cut}): for each class, the
 * highest contiguous seq of the revoked device's bundles its author had accepted. The revoked
 * device's bundles up to the highest cut of any of its revocations stay acceptable, the rest not
 * ({@link #mayWrite(IdentityKey, ClassTag, int, long)}), so devices that learn of a revocation
 * before or after applying its subject's honest bundles still agree on which bundles count. The
 * cut is not checked against the subject's classes: an entry for a class the device never held
 * makes nothing acceptable, and rejecting a revocation (with every operation built on it) for a
 * stale cut would be worse than ignoring the entry.
 *
 * <p>Implementations are thread-safe.
 */
public interface MembershipLog {
  /** Default for how many operations may wait for missing parents. */
  int DEFAULT_MAX_HELD = 1024;

  /** Returns the vault id every operation must carry. */
  Bytes vault();

  /** Returns the id of the genesis this log started from. */
  OperationId genesis();

  /**
   * Receives an encoded operation from a peer: parses it, then as {@link #receive(Operation)}.
   * Never throws for bad input: malformed bytes are REJECTED with reason MALFORMED.
   */
  ReceiveResult receive(byte[] encoded);

  /**
   * Receives an operation from a peer. Duplicates change nothing; an operation whose parents are
   * not all stored is held (and stored as soon as they are); a stored operation releases the held
   * operations it completes. A bad signature, another vault, a second genesis or an operation
   * invalid against its causal past is REJECTED with its reason and counted; nothing else
   * changes. Order-independent: the same set of operations in any order gives the same state.
   */
  ReceiveResult receive(Operation op);

  /** Returns the members now, revoked ones included, in ascending identity-key order. */
  List<Member> members();

  /** Returns {@code device} as the log reads now; empty if it was never a member. */
  Optional<Member> member(IdentityKey device);

  /** Returns the newest epoch of {@code tag}; empty if no operation has granted the class. */
  OptionalInt currentEpoch(ClassTag tag);

  /**
   * Returns the devices entitled to the key of epoch {@code epoch} of {@code tag}, not revoked now
   * (whether a revoked device's bundles of that epoch count is {@link #mayWrite(IdentityKey,
   * ClassTag, int, long)}'s business):
   * those holding the class in the state of the causal closure of the epoch's rotations (whom
   * every rotation kept), those granted it before the next epoch's rotations (holding it in a next
   * rotation's causal past), and those holding it now (granted devices read history).
   *
   * @return empty if no operation started that epoch
   */
  SortedSet<IdentityKey> holders(ClassTag tag, int epoch);

  /**
   * Returns whether the bundle number {@code seq} of {@code author} in {@code tag}, sealed at {@code
   * epoch}, is acceptable:
   *
   * <ol>
   *   <li>{@code author} held {@code tag} at {@code epoch}: it is among {@link #holders}{@code (tag,
   *       epoch)} computed without removing the devices revoked since (it held the class in the
   *       state of the causal closure of the epoch's rotations, or in the causal past of a rotation
   *       of the next epoch, or holds it now); and
   *   <li>if {@code author} is revoked, {@code seq} is at most its {@link #revocationCut} for {@code
   *       tag}, the highest over all its revocations (0, so no bundle, when no cut names the class).
   * </ol>
   *
   * <p>The answer depends only on the stored operations: devices with the same operations answer
   * alike, whether a bundle reached them before or after a revocation. It can change as operations
   * arrive: to false when a revocation arrives (a node that applied a bundle above the cut must
   * re-derive that class without it), to true when a concurrent revocation with a higher cut, or a
   * rotation that shows the author held the class, arrives (a refused bundle may be offered again).
   *
   * @throws IllegalArgumentException if {@code seq} is below 1 (seqs start at 1)
   */
  boolean mayWrite(IdentityKey author, ClassTag tag, int epoch, long seq);

  /**
   * Returns whether {@code author} is one of {@link #holders}{@code (tag, epoch)}: the same as
   * {@link #mayWrite(IdentityKey, ClassTag, int, long)} for a device not revoked, and false for a
   * revoked one at every seq.
   *
   * @deprecated refusing every bundle of a revoked device does not converge: a device that applied
   *     its honest bundles before learning of the revocation keeps them, one that learnt first
   *     refuses them forever. Use {@link #mayWrite(IdentityKey, ClassTag, int, long)} with the
   *     bundle's seq; this remains only until callers pass it.
   */
  @Deprecated
  default boolean mayWrite(IdentityKey author, ClassTag tag, int epoch) {
    return holders(tag, epoch).contains(author);
  }

  /**
   * Returns the cut of a revoked device: by class, in ascending tag order, the highest seq of its
   * bundles that stays acceptable, the highest named by the cuts of its revocations. A class the
   * map lacks counts as 0: none of the device's bundles in it is acceptable. A node that applied
   * bundles of the device before learning of its revocation re-derives each class where it applied
   * one above the cut. A revocation skipped in the replay (its author was a member only through an
   * operation that does not count) widens nothing. An entry for a class the device never held makes
   * nothing acceptable ({@link #mayWrite(IdentityKey, ClassTag, int, long)} also needs it to have
   * held the class).
   *
   * @return the cut, unmodifiable; empty if {@code device} is not revoked (or was never a member)
   */
  Optional<Map<ClassTag, Long>> revocationCut(IdentityKey device);

  /**
   * Returns the operations, in ascending id order, that started epoch {@code epoch} of {@code tag}
   * and were applied in the replay: one normally, several for concurrent rotations. The epoch key is {@link
   * dev.mnode.crypto.EpochKeys#combine} over the candidate key each of them sent, keyed by these ids.
   */
  List<OperationId> rotations(ClassTag tag, int epoch);

  /**
   * Returns the epochs the stored operation {@code id} started (from its causal past), by class;
   * empty for an unknown id or an operation that starts none. After writing an ungrant or revoke,
   * the node makes a key for each and sends it to {@link #holders}.
   */
  Map<ClassTag, Integer> epochsStartedBy(OperationId id);

  /** Returns the stored operations no stored operation names as a parent, ascending. */
  List<OperationId> heads();

  /** Returns the stored operation {@code id}; empty if it is not stored. */
  Optional<Operation> get(OperationId id);

  /**
   * Returns the stored operations that are neither among {@code peerHeads} nor their ancestors, in
   * replay order: what a peer that announced {@code peerHeads} lacks. Ids not stored here are
   * ignored, so the result may include operations the peer has; receiving them again is harmless.
   */
  List<Operation> missingFor(Collection<OperationId> peerHeads);

  /** Returns how many operations are stored. */
  int size();

  /** Returns how many operations wait for missing parents. */
  int heldCount();

  /** Returns how many received operations were rejected for {@code reason}, since this log started. */
  int rejectedCount(Rejection reason);

  /**
   * Writes, stores and returns an operation by {@code author} adding {@code device}, named {@code
   * name}, holding {@code classes}. The operation names this log's heads as parents.
   *
   * @throws MembershipException if it would be invalid here (for example the author is not a
   *     member, lacks a class, or the device was a member already); nothing changes
   * @throws IllegalArgumentException if a field breaks the rules of {@link Operation}
   */
  Operation addDevice(DeviceIdentity author, IdentityKey device, String name, Collection<ClassTag> classes)
      throws MembershipException;

  /** As {@link #addDevice}, granting {@code classes} to the member {@code device}. */
  Operation grant(DeviceIdentity author, IdentityKey device, Collection<ClassTag> classes) throws MembershipException;

  /** As {@link #addDevice}, taking {@code classes} from {@code device}; each starts a new epoch. */
  Operation ungrant(DeviceIdentity author, IdentityKey device, Collection<ClassTag> classes) throws MembershipException;

  /**
   * As {@link #addDevice}, revoking {@code device} for good; each class it held starts a new epoch.
   * {@code cut} gives, by class, the highest contiguous seq of the device's bundles that {@code
   * author} accepted (classes it accepted none of may be left out: they count as 0). Its bundles up
   * to the highest cut of all its revocations stay acceptable, the others not.
   *
   * @throws IllegalArgumentException also if {@code cut} names more than {@value
   *     Operation#MAX_CUT} classes or a negative seq
   */
  Operation revoke(DeviceIdentity author, IdentityKey device, Map<ClassTag, Long> cut) throws MembershipException;

  /**
   * As {@link #revoke(DeviceIdentity, IdentityKey, Map)} with an empty cut: none of the device's
   * bundles stays acceptable (unless a concurrent revocation's cut keeps some). For a device
   * distrusted from the start; a device that wrote honestly should be revoked with its cut.
   */
  default Operation revoke(DeviceIdentity author, IdentityKey device) throws MembershipException {
    return revoke(author, device, Map.of());
  }

  /**
   * As {@link #addDevice}, starting a new epoch of {@code classes} (which {@code author} holds)
   * with the same holders: what compaction writes so that older epoch keys can be erased.
   */
  Operation rotate(DeviceIdentity author, Collection<ClassTag> classes) throws MembershipException;

  /** As {@link #addDevice}, renaming {@code device}. */
  Operation rename(DeviceIdentity author, IdentityKey device, String name) throws MembershipException;
}
