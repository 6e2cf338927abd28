package dev.mnode.crypto;

import com.google.crypto.tink.subtle.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;

/**
 * The key of a class epoch that several devices started concurrently, each with a random key of
 * its own sent only to the devices it meant to keep (docs/sync-keys.md, "Concurrent rotations").
 *
 * <pre>
 * one candidate:   epoch key = that candidate, unchanged
 * n &gt;= 2:          epoch key = HKDF-SHA256(ikm  = key_1 | ... | key_n,
 *                                     salt = "mnode/epoch-key/v1",
 *                                     info = class tag (16) | epoch u32 | n u16 | id_1 | ... | id_n),
 *                                     32 bytes
 * </pre>
 *
 * where {@code id_i} is the membership operation that made {@code key_i} and candidates are in
 * ascending unsigned order of their operation ids. Only a device that holds every candidate can
 * compute the result; every such device computes the same one. HKDF is Tink's. Stateless.
 */
public final class EpochKeys {
  /** Most candidates combined: concurrent rotations of one epoch by distinct operations. */
  public static final int MAX_CANDIDATES = 1024;
  /** Length of an operation id in the info. */
  public static final int OPERATION_ID_BYTES = 32;

  private static final byte[] SALT = "mnode/epoch-key/v1".getBytes(StandardCharsets.US_ASCII);

  private EpochKeys() {}

  /**
   * Returns the key of epoch {@code epoch} of {@code tag} from the candidate keys of its concurrent
   * rotations, keyed by the id of the operation that made each (the map's order is the operation-id
   * order, as {@link Bytes} compares unsigned). The caller closes the result.
   *
   * @throws IllegalArgumentException if there is no candidate or more than {@value
   *     #MAX_CANDIDATES}, an id is not {@value #OPERATION_ID_BYTES} bytes, a key is not {@value
   *     ClassKeyring#KEY_BYTES} bytes, the map is not in natural order, or {@code epoch < 1}
   */
  public static SecretBytes combine(ClassTag tag, int epoch, SortedMap<Bytes, SecretBytes> candidates) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch starts at 1: " + epoch);
    }
    if (candidates.isEmpty() || candidates.size() > MAX_CANDIDATES) {
      throw new IllegalArgumentException("an epoch key combines 1 to " + MAX_CANDIDATES + " candidates, not " + candidates.size());
    }
    if (candidates.comparator() != null) {
      throw new IllegalArgumentException("candidates must be in the natural (operation-id) order");
    }
    for (Map.Entry<Bytes, SecretBytes> e : candidates.entrySet()) {
      if (e.getKey().length() != OPERATION_ID_BYTES) {
        throw new IllegalArgumentException("an operation id has " + OPERATION_ID_BYTES + " bytes, not " + e.getKey().length());
      }
      if (e.getValue().length() != ClassKeyring.KEY_BYTES) {
        throw new IllegalArgumentException("a candidate key has " + ClassKeyring.KEY_BYTES + " bytes, not " + e.getValue().length());
      }
    }
    if (candidates.size() == 1) {
      return SecretBytes.wrap(candidates.values().iterator().next().copy());
    }
    int n = candidates.size();
    byte[] ikm = new byte[n * ClassKeyring.KEY_BYTES];
    ByteBuffer info = ByteBuffer.allocate(ClassTag.BYTES + 4 + 2 + n * OPERATION_ID_BYTES);
    info.put(tag.tag().unsafeArray()).putInt(epoch).putShort((short) n);
    int i = 0;
    for (Map.Entry<Bytes, SecretBytes> e : candidates.entrySet()) {
      byte[] k = e.getValue().copy();
      System.arraycopy(k, 0, ikm, i * ClassKeyring.KEY_BYTES, k.length);
      Arrays.fill(k, (byte) 0);
      info.put(e.getKey().unsafeArray());
      i++;
    }
    try {
      return SecretBytes.wrap(Hkdf.computeHkdf("HMACSHA256", ikm, SALT, info.array(), ClassKeyring.KEY_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA256 unavailable", e);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }
}
