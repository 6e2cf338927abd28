package dev.mnode.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SealedArchiveTest {
  /** The cheapest cost Argon2Params accepts, so that each test derives in milliseconds. */
  private static final Argon2Params CHEAP = new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1);

  private static final RecoveryPhrase PHRASE = RecoveryPhrase.generate();

  private static byte[] payload(int n) {
    byte[] b = new byte[n];
    new Random(11).nextBytes(b);
    return b;
  }

  private static byte[] seal(byte[] plain, RecoveryPhrase phrase) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = SealedArchive.seal(buf, phrase, CHEAP)) {
      out.write(plain);
    }
    return buf.toByteArray();
  }

  private static byte[] open(byte[] sealed, RecoveryPhrase phrase) throws IOException, ArchiveException {
    try (InputStream in = SealedArchive.open(new ByteArrayInputStream(sealed), phrase)) {
      return in.readAllBytes();
    }
  }

  @Test
  void roundTripsSeveralSegments() throws Exception {
    byte[] plain = payload(3 * (1 << 20) + 77);
    byte[] sealed = seal(plain, PHRASE);
    assertArrayEquals(plain, open(sealed, PHRASE));
    assertEquals(plain.length, open(seal(plain, PHRASE), PHRASE).length);
  }

  @Test
  void open_wrongPhrase_isRejectedBeforeDecrypting() throws Exception {
    byte[] sealed = seal(payload(1000), PHRASE);
    try (RecoveryPhrase other = RecoveryPhrase.generate()) {
      ArchiveException e = assertThrows(ArchiveException.class, () -> open(sealed, other));
      assertEquals(ArchiveException.Reason.WRONG_PHRASE, e.reason());
      assertEquals("the recovery phrase does not open this backup", e.getMessage());
    }
  }

  @Test
  void open_anyFlippedByte_isRejected() throws Exception {
    byte[] sealed = seal(payload(2 * (1 << 20) + 5), PHRASE);
    int[] positions = {0, 4, 6, 20, 40, 62, 63, 100, 1 << 20, sealed.length / 2, sealed.length - 40, sealed.length - 1};
    for (int p : positions) {
      byte[] bad = sealed.clone();
      bad[p] ^= 0x01;
      assertThrows(Exception.class, () -> open(bad, PHRASE), "flip at " + p);
    }
  }

  @Test
  void open_truncatedOrExtended_isRejected() throws Exception {
    byte[] sealed = seal(payload(2 * (1 << 20) + 5), PHRASE);
    for (int cut : new int[] {0, 3, 30, 63, 80, 1 << 20, (1 << 20) + 200, sealed.length - 1}) {
      byte[] bad = Arrays.copyOf(sealed, cut);
      assertThrows(Exception.class, () -> open(bad, PHRASE), "cut at " + cut);
    }
    byte[] longer = Arrays.copyOf(sealed, sealed.length + 16);
    assertThrows(SealedArchive.DamagedException.class, () -> open(longer, PHRASE));
  }

  @Test
  void open_segmentSplicedFromAnotherArchive_isRejected() throws Exception {
    byte[] plain = payload(2 * (1 << 20));
    byte[] a = seal(plain, PHRASE);
    byte[] b = seal(plain, PHRASE);
    byte[] spliced = a.clone();
    int from = SealedArchive.HEADER_BYTES + (1 << 20);
    System.arraycopy(b, from, spliced, from, 4096);
    assertThrows(SealedArchive.DamagedException.class, () -> open(spliced, PHRASE));
  }

  @Test
  void open_hostileCost_isRefusedWithoutDeriving() throws Exception {
    byte[] sealed = seal(payload(10), PHRASE);
    byte[] greedy = sealed.clone();
    ByteBuffer.wrap(greedy).putInt(6, 64 * 1024 * 1024); // 64 GiB
    ArchiveException e = assertThrows(ArchiveException.class, () -> open(greedy, PHRASE));
    assertEquals(ArchiveException.Reason.UNSUPPORTED, e.reason());
    byte[] notOurs = "PK\3\4 a zip file, not a backup at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(
        ArchiveException.Reason.NOT_AN_ARCHIVE,
        assertThrows(ArchiveException.class, () -> open(notOurs, PHRASE)).reason());
  }
}
