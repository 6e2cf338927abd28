package dev.mnode.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SealedBundleTest {
  private final DeviceIdentity alice = DeviceIdentity.generate();
  private final SecretBytes vaultSecret = SecretBytes.random(32);
  private final Bytes vault = Bytes.copyOf(SecretBytes.random(16).copy());
  private final ClassTag work = ClassTag.of(vaultSecret, "work");
  private final ClassKeyring keys = new ClassKeyring();
  private final int epoch = keys.newEpoch(work);

  private SealedBundle seal(long seq, String body) {
    BundleHeader h = new BundleHeader(vault, work, alice.publicKey(), seq, epoch, Instant.parse("2026-11-26T10:00:00Z"));
    return SealedBundle.seal(alice, h, keys.key(work, epoch).orElseThrow(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void seal_decode_open_roundTrips() throws Exception {
    SealedBundle b = seal(1, "We chose Stripe");
    SealedBundle got = SealedBundle.decode(b.encode());
    assertEquals(b.header(), got.header());
    assertArrayEquals("We chose Stripe".getBytes(StandardCharsets.UTF_8), got.open(keys));
  }

  @Test
  void decodeKept_parsesWithoutTheSignatureCheck_whichDecodeMakes() throws Exception {
    byte[] good = seal(1, "We chose Stripe").encode();
    byte[] badSignature = good.clone();
    badSignature[badSignature.length - 1] ^= 0x01;
    BundleException e = assertThrows(BundleException.class, () -> SealedBundle.decode(badSignature));
    assertEquals(BundleException.Reason.BAD_SIGNATURE, e.reason());
    SealedBundle kept = SealedBundle.decodeKept(good);
    assertEquals(SealedBundle.decode(good).header(), kept.header());
    assertArrayEquals("We chose Stripe".getBytes(StandardCharsets.UTF_8), kept.open(keys));
    assertEquals(BundleException.Reason.MALFORMED,
        assertThrows(BundleException.class, () -> SealedBundle.decodeKept(Arrays.copyOf(good, 40))).reason());
  }

  @Test
  void classTag_hidesTheClassName_andDependsOnTheVaultSecret() {
    String header = new String(seal(1, "x").encode(), StandardCharsets.ISO_8859_1);
    assertEquals(-1, header.indexOf("work"));
    assertEquals(ClassTag.of(vaultSecret, "work"), work);
    assertEquals(false, ClassTag.of(SecretBytes.random(32), "work").equals(work));
    assertEquals(false, ClassTag.of(vaultSecret, "health").equals(work));
  }

  @Test
  void bodiesOfDifferentLengths_inOneBucket_haveTheSameSize() {
    assertEquals(seal(1, "a").size(), seal(2, "a".repeat(200)).size());
    assertEquals(seal(1, "a".repeat(300)).size(), seal(2, "a".repeat(500)).size());
    assertEquals(256, SealedBundle.bucket(1));
    assertEquals(512, SealedBundle.bucket(257));
    assertEquals(1 << 20, SealedBundle.bucket((1 << 19) + 1));
    assertEquals(2 << 20, SealedBundle.bucket((1 << 20) + 1));
  }

  @Test
  void everyFlippedByte_isRejected() {
    byte[] good = seal(1, "secret text").encode();
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      assertThrows(BundleException.class, () -> SealedBundle.decode(bad).open(keys), "byte " + i);
    }
  }

  @Test
  void headersSwappedBetweenBundles_areRejected() {
    byte[] a = seal(1, "first").encode();
    byte[] b = seal(2, "second").encode();
    byte[] swapped = b.clone();
    System.arraycopy(a, 0, swapped, 0, BundleHeader.BYTES);
    BundleException e = assertThrows(BundleException.class, () -> SealedBundle.decode(swapped));
    assertEquals(BundleException.Reason.BAD_SIGNATURE, e.reason());
  }

  @Test
  void replayUnderANewSeq_resignedByTheAuthor_doesNotOpen() throws Exception {
    // Even the author cannot move a ciphertext to another seq: the key is derived from (author, seq).
    byte[] old = seal(1, "old").encode();
    byte[] moved = old.clone();
    java.nio.ByteBuffer.wrap(moved, 1 + 16 + 16 + 32, 8).putLong(7);
    byte[] sig = alice.sign(Arrays.copyOf(moved, moved.length - 64));
    System.arraycopy(sig, 0, moved, moved.length - 64, 64);
    SealedBundle decoded = SealedBundle.decode(moved);
    assertEquals(7, decoded.header().seq());
    BundleException e = assertThrows(BundleException.class, () -> decoded.open(keys));
    assertEquals(BundleException.Reason.DOES_NOT_OPEN, e.reason());
  }

  @Test
  void withoutTheEpochKey_noKey_andAfterRetirement_noKey() throws Exception {
    SealedBundle b = seal(1, "x");
    assertEquals(BundleException.Reason.NO_KEY, assertThrows(BundleException.class, () -> b.open(new ClassKeyring())).reason());
    int next = keys.newEpoch(work);
    assertEquals(1, keys.retireBefore(work, next));
    assertEquals(BundleException.Reason.NO_KEY, assertThrows(BundleException.class, () -> b.open(keys)).reason());
  }

  @Test
  void truncatedOrOversizedInput_isMalformed() {
    byte[] good = seal(1, "x").encode();
    for (int len : new int[] {0, 1, BundleHeader.BYTES, good.length - 1}) {
      assertThrows(BundleException.class, () -> SealedBundle.decode(Arrays.copyOf(good, len)));
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertEquals(BundleException.Reason.MALFORMED, assertThrows(BundleException.class, () -> SealedBundle.decode(longer)).reason());
  }
}
