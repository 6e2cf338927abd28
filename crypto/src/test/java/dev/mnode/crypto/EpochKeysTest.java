package dev.mnode.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.TreeMap;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

class EpochKeysTest {
  private static final ClassTag TAG = new ClassTag(Bytes.copyOf(new byte[16]));

  private static Bytes id(int b) {
    byte[] id = new byte[32];
    id[0] = (byte) b;
    id[31] = 7;
    return Bytes.copyOf(id);
  }

  private static SecretBytes key(int b) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) b);
    return SecretBytes.copyOf(k);
  }

  @Test
  void oneCandidate_isTheEpochKeyUnchanged() {
    TreeMap<Bytes, SecretBytes> one = new TreeMap<>();
    one.put(id(1), key(9));
    assertTrue(EpochKeys.combine(TAG, 3, one).equalsConstantTime(key(9)));
  }

  /** The documented layout, computed with Bouncy Castle's HKDF rather than Tink's. */
  @Test
  void twoCandidates_areHkdfSha256OfTheDocumentedInputs() {
    TreeMap<Bytes, SecretBytes> two = new TreeMap<>();
    two.put(id(0xf0), key(2)); // unsigned order: 0x10 before 0xf0
    two.put(id(0x10), key(1));
    byte[] ikm = new byte[64];
    System.arraycopy(key(1).copy(), 0, ikm, 0, 32);
    System.arraycopy(key(2).copy(), 0, ikm, 32, 32);
    byte[] info =
        ByteBuffer.allocate(16 + 4 + 2 + 64).put(new byte[16]).putInt(5).putShort((short) 2)
            .put(id(0x10).toByteArray()).put(id(0xf0).toByteArray()).array();
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, "mnode/epoch-key/v1".getBytes(StandardCharsets.US_ASCII), info));
    byte[] expected = new byte[32];
    hkdf.generateBytes(expected, 0, 32);
    assertArrayEquals(expected, EpochKeys.combine(TAG, 5, two).copy());
  }

  @Test
  void insertionOrder_doesNotMatter_butEveryInputDoes() {
    TreeMap<Bytes, SecretBytes> a = new TreeMap<>();
    a.put(id(1), key(1));
    a.put(id(2), key(2));
    a.put(id(3), key(3));
    TreeMap<Bytes, SecretBytes> b = new TreeMap<>();
    b.put(id(3), key(3));
    b.put(id(1), key(1));
    b.put(id(2), key(2));
    SecretBytes ka = EpochKeys.combine(TAG, 2, a);
    assertTrue(ka.equalsConstantTime(EpochKeys.combine(TAG, 2, b)));
    assertFalse(ka.equalsConstantTime(EpochKeys.combine(TAG, 3, a)));
    assertFalse(ka.equalsConstantTime(EpochKeys.combine(new ClassTag(Bytes.copyOf(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), 2, a)));
    b.put(id(3), key(4));
    assertFalse(ka.equalsConstantTime(EpochKeys.combine(TAG, 2, b)));
    b.remove(id(3));
    b.put(id(3), key(3));
    b.remove(id(2));
    assertFalse(ka.equalsConstantTime(EpochKeys.combine(TAG, 2, b)), "a device missing one candidate gets another key");
  }

  @Test
  void badInputs_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> EpochKeys.combine(TAG, 1, new TreeMap<>()));
    TreeMap<Bytes, SecretBytes> shortId = new TreeMap<>();
    shortId.put(Bytes.copyOf(new byte[31]), key(1));
    assertThrows(IllegalArgumentException.class, () -> EpochKeys.combine(TAG, 1, shortId));
    TreeMap<Bytes, SecretBytes> shortKey = new TreeMap<>();
    shortKey.put(id(1), SecretBytes.copyOf(new byte[16]));
    assertThrows(IllegalArgumentException.class, () -> EpochKeys.combine(TAG, 1, shortKey));
    TreeMap<Bytes, SecretBytes> reversed = new TreeMap<>(Comparator.reverseOrder());
    reversed.put(id(1), key(1));
    assertThrows(IllegalArgumentException.class, () -> EpochKeys.combine(TAG, 1, reversed));
    TreeMap<Bytes, SecretBytes> ok = new TreeMap<>();
    ok.put(id(1), key(1));
    assertThrows(IllegalArgumentException.class, () -> EpochKeys.combine(TAG, 0, ok));
  }
}
