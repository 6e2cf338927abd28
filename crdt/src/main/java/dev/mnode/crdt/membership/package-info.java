/**
 * The membership log of a vault: signed operations (genesis, add device, grant, ungrant, revoke,
 * rename) forming a DAG, replayed by every device in one deterministic order into the members,
 * their classes and the epochs of every class (docs/sync-keys.md).
 *
 * <ul>
 *   <li>{@link dev.mnode.crdt.membership.Operation}: one signed operation and its canonical
 *       encoding; {@link dev.mnode.crdt.membership.OperationId} names it.
 *   <li>{@link dev.mnode.crdt.membership.MembershipLog}: receives, validates and replays operations
 *       and answers who may hold and write which class at which epoch. {@link
 *       dev.mnode.crdt.membership.MembershipModule} builds it.
 * </ul>
 *
 * Classes appear here only as {@link dev.mnode.crypto.ClassTag}s, never as names: the log goes to
 * every member, possibly through the relay, and a tag means nothing without the vault secret.
 */
@NullMarked
package dev.mnode.crdt.membership;

import org.jspecify.annotations.NullMarked;
