package dev.mnode.store.rocks;

import dev.mnode.crypto.CryptoException;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * How a memory is sealed as the value of the {@code memories} family:
 *
 * <pre>
 * +--------+--------------+-------------------------------------------------+
 * | ver u8 | class id u32 | AES-256-GCM(class storage key, MemoryCodec,     |
 * |   = 1  |              |   ad = "mnode/memory/v1" | id | '|' | class name)|
 * +--------+--------------+-------------------------------------------------+
 * </pre>
 *
 * The associated data binds the value to its memory id and class, so a value copied to another id
 * or relabelled with another class does not open. Stateless.
 */
final class SealedValues {
  static final int VERSION = 1;
  private static final byte[] AD_PREFIX = "mnode/memory/v1".getBytes(StandardCharsets.US_ASCII);

  private SealedValues() {}

  static byte[] seal(RocksMemoryStore.ClassEntry c, Memory m) {
    byte[] sealed = c.key().seal(MemoryCodec.encode(m), ad(m.id(), c.memoryClass()));
    return ByteBuffer.allocate(5 + sealed.length).put((byte) VERSION).putInt(c.id()).put(sealed).array();
  }

  /**
   * Opens the value of memory {@code id}, finding its class by id through {@code classes}.
   *
   * @throws StoreException naming the memory when the value is of an unknown format or class, or
   *     does not open
   */
  static Memory open(MemoryId id, byte[] value, IntFunction<RocksMemoryStore.@Nullable ClassEntry> classes)
      throws StoreException {
    if (value.length < 5 || value[0] != VERSION) {
      throw new StoreException("memory " + id + " has an unknown value format");
    }
    int classId = ByteBuffer.wrap(value, 1, 4).getInt();
    RocksMemoryStore.ClassEntry c = classes.apply(classId);
    if (c == null) {
      throw new StoreException("memory " + id + " names an unknown class id " + classId);
    }
    try {
      byte[] plain = c.key().open(Arrays.copyOfRange(value, 5, value.length), ad(id, c.memoryClass()));
      return MemoryCodec.decode(id, c.memoryClass(), plain);
    } catch (CryptoException | IllegalArgumentException e) {
      throw new StoreException("memory " + id + " is damaged: " + e.getMessage(), e);
    }
  }

  /**
   * Seals the value of memory {@code id} again, from {@code from}'s key to {@code to}'s (two
   * generations of one class), without decoding the memory.
   *
   * @throws StoreException naming the memory when the value does not open under {@code from}
   */
  static byte[] reseal(MemoryId id, byte[] value, RocksMemoryStore.ClassEntry from, RocksMemoryStore.ClassEntry to)
      throws StoreException {
    if (!from.memoryClass().equals(to.memoryClass())) {
      throw new IllegalArgumentException("cannot move memory " + id + " from class " + from.memoryClass() + " to " + to.memoryClass());
    }
    byte[] plain;
    try {
      plain = from.key().open(Arrays.copyOfRange(value, 5, value.length), ad(id, from.memoryClass()));
    } catch (CryptoException e) {
      throw new StoreException("memory " + id + " is damaged: " + e.getMessage(), e);
    }
    try {
      byte[] sealed = to.key().seal(plain, ad(id, to.memoryClass()));
      return ByteBuffer.allocate(5 + sealed.length).put((byte) VERSION).putInt(to.id()).put(sealed).array();
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** The class id a value names. */
  static int classId(byte[] value) {
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }

  private static byte[] ad(MemoryId id, MemoryClass c) {
    byte[] name = c.name().getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(AD_PREFIX.length + 1 + MemoryId.BYTES + 1 + name.length)
        .put(AD_PREFIX)
        .put((byte) '|')
        .put(id.toBytes())
        .put((byte) '|')
        .put(name)
        .array();
  }
}
