package dev.mnode.store.rocks;

import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.StoreException;
import dev.mnode.store.SyncFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * How a sync value is sealed in its family:
 *
 * <pre>
 * ver u8 = 1 | class id u32 (0: the master key) |
 *   AES-256-GCM(that key, value, ad = "mnode/sync/v1|" vault id "|" family "|" key)
 * </pre>
 *
 * The associated data binds the value to its store, family and key. Stateless.
 */
final class SyncValues {
  static final int VERSION = 1;

  private SyncValues() {}

  static byte[] seal(String vaultId, SyncFamily family, byte[] key, int classId, StorageKey sealer, byte[] value) {
    byte[] sealed = sealer.seal(value, ad(vaultId, family, key));
    return ByteBuffer.allocate(5 + sealed.length).put((byte) VERSION).putInt(classId).put(sealed).array();
  }

  /**
   * Opens a sealed value, finding its class's key through {@code classKeys} (class id to key; 0 is
   * the master key).
   *
   * @throws StoreException when the value is of an unknown format or class, or does not open
   */
  static byte[] open(String vaultId, SyncFamily family, byte[] key, byte[] value, IntFunction<@Nullable StorageKey> classKeys)
      throws StoreException {
    String where = family.family() + " value " + HexFormat.of().formatHex(key, 0, Math.min(key.length, 24));
    if (value.length < 5 || value[0] != VERSION) {
      throw new StoreException(where + " has an unknown format");
    }
    int classId = ByteBuffer.wrap(value, 1, 4).getInt();
    StorageKey k = classKeys.apply(classId);
    if (k == null) {
      throw new StoreException(where + " names an unknown class id " + classId);
    }
    try {
      return k.open(Arrays.copyOfRange(value, 5, value.length), ad(vaultId, family, key));
    } catch (CryptoException e) {
      throw new StoreException(where + " is damaged: " + e.getMessage(), e);
    }
  }

  /**
   * Seals a value again, from key {@code from} to key {@code to} of id {@code toId}, with the same
   * associated data.
   *
   * @throws StoreException when the value does not open under {@code from}
   */
  static byte[] reseal(String vaultId, SyncFamily family, byte[] key, byte[] value, StorageKey from, int toId, StorageKey to)
      throws StoreException {
    byte[] plain = open(vaultId, family, key, value, id -> from);
    try {
      return seal(vaultId, family, key, toId, to, plain);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** The class id a value opened by {@link #open} names (0: the master key). */
  static int classId(byte[] value) {
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }

  private static byte[] ad(String vaultId, SyncFamily family, byte[] key) {
    byte[] head = ("mnode/sync/v1|" + vaultId + "|" + family.family() + "|").getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(head.length + key.length).put(head).put(key).array();
  }
}
