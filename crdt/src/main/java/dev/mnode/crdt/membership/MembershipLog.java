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
 * nothing and keeps its name).
 *
 * <p><b>Epochs.</b> An ungrant starts a new epoch of every class it names, a revoke of every class
 * its subject held in its causal past; an operation that first grants a class starts its epoch 1.
 * Any member may revoke, including a device that does not hold every class of the revoked one (a
 * user who lost a device needs that): its node makes the new key of such a class, sends it to the
 * holders and keeps no copy.
 * The number is one more than the highest epoch of that class in the operation's causal past
 * (Lamport), so it never changes once assigned. Concurrent rotations of one class get the same
 * number; their candidate keys combine, in operation-id order, with {@link
 * dev.mnode.crypto.EpochKeys#combine} ({@link #rotations}). Epoch numbers may skip a value whose
 * only rotations were cancelled by a revocation.
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
   * Returns the devices entitled to the key of epoch {@code epoch} of {@code tag}, not revoked now:
   * those holding the class in the state of the causal closure of the epoch's rotations (whom
   * every rotation kept), those granted it before the next epoch's rotations (holding it in a next
   * rotation's causal past), and those holding it now (granted devices read history).
   *
   * @return empty if no operation started that epoch
   */
  SortedSet<IdentityKey> holders(ClassTag tag, int epoch);

  /**
   * Returns whether a bundle of {@code tag} sealed by {@code author} at {@code epoch} is
   * acceptable: {@code author} is one of {@link #holders}{@code (tag, epoch)}. A revoked device may
   * write nothing, at any epoch: nothing tells its bundles written before the revocation from
   * those written after.
   */
  boolean mayWrite(IdentityKey author, ClassTag tag, int epoch);

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

  /** As {@link #addDevice}, revoking {@code device} for good; each class it held starts a new epoch. */
  Operation revoke(DeviceIdentity author, IdentityKey device) throws MembershipException;

  /** As {@link #addDevice}, renaming {@code device}. */
  Operation rename(DeviceIdentity author, IdentityKey device, String name) throws MembershipException;
}
