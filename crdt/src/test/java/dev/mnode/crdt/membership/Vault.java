package dev.mnode.crdt.membership;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/** Test fixture: one vault, its class tags, and devices with identities derived from their names. */
final class Vault {
  static final Bytes ID = Bytes.copyOf(bytes(16, 0x5a));
  static final Bytes OTHER_ID = Bytes.copyOf(bytes(16, 0x33));
  private static final SecretBytes SECRET = SecretBytes.copyOf(bytes(32, 0x42));

  static final ClassTag WORK = tag("work");
  static final ClassTag HEALTH = tag("health");
  static final ClassTag PERSONAL = tag("personal");

  private Vault() {}

  static ClassTag tag(String className) {
    return ClassTag.of(SECRET, className);
  }

  /** The same name always gives the same identity. */
  static DeviceIdentity device(String name) {
    try {
      byte[] seed = MessageDigest.getInstance("SHA-256").digest(("device " + name).getBytes(StandardCharsets.UTF_8));
      return DeviceIdentity.fromSeed(SecretBytes.copyOf(seed));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Operation genesis(DeviceIdentity first, ClassTag... classes) {
    return Operation.genesis(first, ID, "first", List.of(classes));
  }

  static MembershipLog log(Operation genesis) throws MembershipException {
    return MembershipModule.startFrom(genesis, MembershipLog.DEFAULT_MAX_HELD);
  }

  /** Delivers every operation of {@code from} to {@code to}; asserts nothing is rejected. */
  static void sync(MembershipLog from, MembershipLog to) {
    for (Operation op : from.missingFor(to.heads())) {
      ReceiveResult r = to.receive(op.encode());
      if (r.status() == ReceiveResult.Status.REJECTED) {
        throw new AssertionError("sync rejected " + op + ": " + r.detail());
      }
    }
  }

  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return b;
  }
}
