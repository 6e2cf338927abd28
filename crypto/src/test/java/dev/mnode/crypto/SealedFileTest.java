package dev.mnode.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedFileTest {
  private static final byte[] AD = "mnode/test/v1".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private static byte[] payload(int n) {
    byte[] b = new byte[n];
    new Random(7).nextBytes(b);
    return b;
  }

  private static SealedFile key() throws CryptoException {
    return SealedFile.of(SecretBytes.random(SealedFile.KEY_BYTES));
  }

  @Test
  void roundTripsSeveralSegmentsAndLeavesNoClearText() throws Exception {
    byte[] data = new byte[3 * (1 << 20) + 123];
    byte[] marker = "a memory text in clear".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + marker.length < data.length; i += 4096) {
      System.arraycopy(marker, 0, data, i, marker.length);
    }
    Path f = dir.resolve("index.sealed");
    try (SealedFile k = key()) {
      k.write(f, AD, out -> out.write(data));
      byte[] back = k.read(f, AD, in -> in.readAllBytes());
      assertArrayEquals(data, back);
    }
    String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
    assertFalse(raw.contains("a memory text"), "plaintext found in the sealed file");
    assertFalse(Files.exists(dir.resolve("index.sealed.tmp")));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void everyFlippedByteIsRejected() throws Exception {
    Path f = dir.resolve("s");
    try (SealedFile k = key()) {
      k.write(f, AD, out -> out.write(payload(5000)));
      byte[] good = Files.readAllBytes(f);
      Random r = new Random(11);
      for (int i = 0; i < 200; i++) {
        byte[] bad = good.clone();
        int at = i < good.length ? (i * 37) % good.length : r.nextInt(good.length);
        bad[at] ^= (byte) (1 << r.nextInt(8));
        Files.write(f, bad);
        assertThrows(CryptoException.class, () -> k.read(f, AD, in -> in.readAllBytes()), "byte " + at);
      }
    }
  }

  @Test
  void truncationOtherContextAndOtherKeyAreRejected() throws Exception {
    Path f = dir.resolve("s");
    try (SealedFile k = key(); SealedFile other = key()) {
      k.write(f, AD, out -> out.write(payload(3 << 20)));
      byte[] good = Files.readAllBytes(f);
      assertThrows(CryptoException.class, () -> other.read(f, AD, in -> in.readAllBytes()));
      assertThrows(CryptoException.class, () -> k.read(f, "other".getBytes(StandardCharsets.UTF_8), in -> in.readAllBytes()));
      for (int cut : new int[] {0, 10, good.length / 2, (1 << 20) + 40, good.length - 1}) {
        Files.write(f, Arrays.copyOf(good, cut));
        assertThrows(CryptoException.class, () -> k.read(f, AD, in -> in.readAllBytes()), "cut at " + cut);
      }
    }
  }

  @Test
  void aMissingFileIsNoSuchFile_andAFailedWriteKeepsTheOldFile() throws Exception {
    Path f = dir.resolve("s");
    try (SealedFile k = key()) {
      assertThrows(NoSuchFileException.class, () -> k.read(f, AD, in -> in.readAllBytes()));
      k.write(f, AD, out -> out.write(1));
      assertThrows(
          IOException.class,
          () ->
              k.write(
                  f,
                  AD,
                  out -> {
                    out.write(2);
                    throw new IOException("writer failed");
                  }));
      assertArrayEquals(new byte[] {1}, k.read(f, AD, in -> in.readAllBytes()));
      assertTrue(Files.list(dir).allMatch(p -> p.equals(f)), "temporary file left behind");
    }
  }

  @Test
  void aReaderThatStopsEarlyIsAnError() throws Exception {
    Path f = dir.resolve("s");
    try (SealedFile k = key()) {
      k.write(f, AD, out -> out.write(payload(100)));
      assertThrows(CryptoException.class, () -> k.read(f, AD, in -> in.readNBytes(50)));
    }
  }

  @Test
  void aFileOfAnotherFormatVersionIsToldApart() throws Exception {
    Path f = dir.resolve("s");
    try (SealedFile k = key()) {
      k.write(f, AD, out -> out.write(payload(10)));
      byte[] b = Files.readAllBytes(f);
      b[4] = 9;
      Files.write(f, b);
      CryptoException e = assertThrows(CryptoException.class, () -> k.read(f, AD, in -> in.readAllBytes()));
      assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
    }
  }
}
