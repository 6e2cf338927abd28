package dev.mnode.crdt.membership;

import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.IdentityKey;
import java.util.List;
import java.util.Objects;

/**
 * A device as the membership log reads now.
 *
 * @param device the device's identity key
 * @param name the name it was last given
 * @param classes the classes it holds, in ascending tag order; empty once revoked
 * @param revoked whether it was revoked (permanent)
 */
public record Member(IdentityKey device, String name, List<ClassTag> classes, boolean revoked) {
  /** @throws IllegalArgumentException if a revoked member holds classes */
  public Member {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(name, "name");
    classes = List.copyOf(classes);
    if (revoked && !classes.isEmpty()) {
      throw new IllegalArgumentException("a revoked device holds no class");
    }
  }
}
