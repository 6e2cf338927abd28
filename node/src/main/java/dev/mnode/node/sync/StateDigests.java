package dev.mnode.node.sync;

import dev.mnode.crdt.Digest;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state digests of a device: one per class and one of every class it holds together, each a
 * {@link Digest} of the memory rows. Two devices that received the same bundles of a class have
 * equal digests for it, whatever order the bundles came in.
 *
 * @param all the digest of every class together: {@link #combine} of the per-class digests
 * @param classes the digest of each class, by name
 */
public record StateDigests(Digest all, SortedMap<String, Digest> classes) {
  public StateDigests {
    classes = Collections.unmodifiableSortedMap(new TreeMap<>(classes));
  }

  /**
   * Computes the digests of {@code held} over the rows of {@code store} in one scan, keeping 32
   * bytes per memory, not its text.
   */
  public static StateDigests of(MemoryStore store, Collection<String> held) throws StoreException {
    Map<String, Digest.Builder> byClass = new HashMap<>();
    held.forEach(c -> byClass.put(c, Digest.builder()));
    store.scan(
        Optional.empty(),
        m -> {
          Digest.Builder b = byClass.get(m.memoryClass().name());
          if (b != null) {
            b.add(MemoryStates.state(m));
          }
          return true;
        });
    SortedMap<String, Digest> out = new TreeMap<>();
    byClass.forEach((c, b) -> out.put(c, b.build()));
    SortedMap<String, String> hex = new TreeMap<>();
    out.forEach((c, d) -> hex.put(c, d.hex()));
    return new StateDigests(new Digest(dev.mnode.crdt.ByteString.copyOf(java.util.HexFormat.of().parseHex(combine(hex)))), out);
  }

  /**
   * The digest of several classes together, from theirs (class name to lowercase hex):
   * SHA-256("mnode/state-digests/v1" | for each class in name order: u32 name length | name in
   * UTF-8 | its 32-byte digest). Anyone who may see those classes' digests can compute it.
   */
  public static String combine(SortedMap<String, String> classDigests) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update("mnode/state-digests/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      classDigests.forEach((c, d) -> {
        byte[] name = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sha.update(java.nio.ByteBuffer.allocate(4).putInt(name.length).array());
        sha.update(name);
        sha.update(java.util.HexFormat.of().parseHex(d));
      });
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  /** The digest of one class's rows in {@code store}. */
  public static Digest of(MemoryStore store, String className) throws StoreException {
    Digest.Builder b = Digest.builder();
    store.scan(Optional.of(new MemoryClass(className)), m -> {
      b.add(MemoryStates.state(m));
      return true;
    });
    return b.build();
  }

  /**
   * The per-class digests (class name to hex) of {@code held}, computed at most once per state of
   * the store: they are kept in the store with the change number they reflect, and computed again
   * (one scan) only when memories changed since, or the classes differ. A status over 100k
   * memories then costs a scan once, not on every call.
   */
  public static SortedMap<String, String> cached(MemoryStore store, Collection<String> held) throws StoreException {
    long seq = store.changeSeq();
    byte[] key = "digests".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Optional<byte[]> kept = store.syncGet(dev.mnode.store.SyncFamily.STATE, key);
    if (kept.isPresent()) {
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(kept.get());
      if (in.remaining() >= 12 && in.getLong() == seq) {
        SortedMap<String, String> out = new TreeMap<>();
        int n = in.getInt();
        for (int i = 0; i < n && in.remaining() >= 2 + 32; i++) {
          byte[] name = new byte[in.getShort()];
          in.get(name);
          byte[] d = new byte[32];
          in.get(d);
          out.put(new String(name, java.nio.charset.StandardCharsets.UTF_8), java.util.HexFormat.of().formatHex(d));
        }
        if (out.keySet().equals(new java.util.TreeSet<>(held))) {
          return out;
        }
      }
    }
    SortedMap<String, String> out = new TreeMap<>();
    of(store, held).classes().forEach((c, d) -> out.put(c, d.hex()));
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    buf.writeBytes(java.nio.ByteBuffer.allocate(12).putLong(seq).putInt(out.size()).array());
    out.forEach((c, d) -> {
      byte[] name = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      buf.writeBytes(java.nio.ByteBuffer.allocate(2).putShort((short) name.length).array());
      buf.writeBytes(name);
      buf.writeBytes(java.util.HexFormat.of().parseHex(d));
    });
    store.write(new dev.mnode.store.StoreBatch().putSync(dev.mnode.store.SyncFamily.STATE, key, buf.toByteArray()));
    return out;
  }
}
