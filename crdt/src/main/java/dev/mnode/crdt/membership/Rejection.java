package dev.mnode.crdt.membership;

/** Why a membership operation was not accepted. */
public enum Rejection {
  /** The bytes are not an operation of {@link Operation#VERSION} (framing, bounds, order, field rules). */
  MALFORMED,
  /** The author's signature does not verify. */
  BAD_SIGNATURE,
  /** The operation belongs to another vault. */
  WRONG_VAULT,
  /** A genesis other than this log's own. */
  SECOND_GENESIS,
  /** The author is not a member in the operation's causal past. */
  NOT_A_MEMBER,
  /** The author was revoked in the operation's causal past. */
  AUTHOR_REVOKED,
  /** The author grants, ungrants or rotates a class it does not hold in the causal past. */
  NOT_HOLDER,
  /** The subject device cannot be the object of this operation in the causal past. */
  BAD_SUBJECT,
  /** A parent was rejected, so this operation can never be valid here. */
  PARENT_REJECTED,
  /** Too many operations already wait for missing parents; offer it again later. */
  HELD_LIMIT
}
