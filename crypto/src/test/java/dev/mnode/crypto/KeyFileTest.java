package dev.mnode.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  /** Small but valid Argon2id cost so the suite stays fast; the format stores the parameters. */
  private static final Argon2Params FAST = new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1);

  @TempDir Path dir;

  @Test
  void create_thenOpen_returnsSameKey_andFileIsOwnerOnly() throws Exception {
    Path file = dir.resolve("master.key");
    try (StorageKey created = KeyFile.create(file, null, FAST);
        StorageKey opened = KeyFile.open(file, null)) {
      assertTrue(created.material().equalsConstantTime(opened.material()));
      byte[] sealed = created.seal("x".getBytes(UTF_8), new byte[0]);
      assertArrayEquals("x".getBytes(UTF_8), opened.open(sealed, new byte[0]));
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(KeyFile.isProtected(file));
  }

  @Test
  void passphrase_rightOpens_wrongAndMissingFailClearly() throws Exception {
    Path file = dir.resolve("master.key");
    try (StorageKey created = KeyFile.create(file, "correct horse".toCharArray(), FAST);
        StorageKey opened = KeyFile.open(file, "correct horse".toCharArray())) {
      assertTrue(created.material().equalsConstantTime(opened.material()));
    }
    assertTrue(KeyFile.isProtected(file));
    KeyFileException wrong =
        assertThrows(KeyFileException.class, () -> KeyFile.open(file, "battery".toCharArray()));
    assertEquals(KeyFileException.Reason.WRONG_PASSPHRASE, wrong.reason());
    KeyFileException none = assertThrows(KeyFileException.class, () -> KeyFile.open(file, null));
    assertEquals(KeyFileException.Reason.PASSPHRASE_REQUIRED, none.reason());
  }

  @Test
  void protectedFile_doesNotContainTheKey() throws Exception {
    Path file = dir.resolve("master.key");
    try (StorageKey created = KeyFile.create(file, "pw".toCharArray(), FAST)) {
      byte[] raw = created.material().copy();
      byte[] bytes = Files.readAllBytes(file);
      assertEquals(-1, indexOf(bytes, raw));
    }
  }

  @Test
  void open_missingFile_saysMissing() {
    KeyFileException e =
        assertThrows(KeyFileException.class, () -> KeyFile.open(dir.resolve("nope.key"), null));
    assertEquals(KeyFileException.Reason.MISSING, e.reason());
    assertTrue(e.getMessage().contains("key file missing"));
  }

  @Test
  void open_anyFlippedByte_isRejectedAsCorruptOrWrong() throws Exception {
    Path file = dir.resolve("master.key");
    KeyFile.create(file, null, FAST).close();
    byte[] good = Files.readAllBytes(file);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      Path f = dir.resolve("k" + i);
      Files.write(f, bad);
      assertThrows(KeyFileException.class, () -> KeyFile.open(f, null), "byte " + i);
    }
  }

  @Test
  void create_overExistingFile_isRefused() throws Exception {
    Path file = dir.resolve("master.key");
    KeyFile.create(file, null, FAST).close();
    byte[] before = Files.readAllBytes(file);
    KeyFileException e =
        assertThrows(KeyFileException.class, () -> KeyFile.create(file, null, FAST));
    assertEquals(KeyFileException.Reason.ALREADY_EXISTS, e.reason());
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
