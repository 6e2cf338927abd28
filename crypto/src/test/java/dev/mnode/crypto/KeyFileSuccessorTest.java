package dev.mnode.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key file's successor (a rotated master key) is protected as the file was: a clear file's in
 * clear, a passphrase file's under the same passphrase, written from the kept {@link
 * KeyFile.Protection} without the passphrase; promoting it replaces the file atomically.
 */
class KeyFileSuccessorTest {
  private static final Argon2Params FAST = new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1);
  @TempDir Path dir;

  private static boolean same(StorageKey a, StorageKey b) {
    return a.material().equalsConstantTime(b.material());
  }

  @Test
  void successorOfAPassphraseFile_opensWithTheSamePassphrase_andWithTheKeptProtection() throws Exception {
    Path file = dir.resolve("master.key");
    Path next = dir.resolve("master.key.next");
    KeyFile.create(file, "correct horse".toCharArray(), FAST).close();
    try (KeyFile.Unlocked u = KeyFile.unlock(file, "correct horse".toCharArray());
        StorageKey rotated = StorageKey.generate()) {
      assertTrue(u.protection().byPassphrase());
      KeyFile.writeSuccessor(next, rotated, u.protection());
      assertTrue(KeyFile.isProtected(next));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(next)));
      try (StorageKey byPassphrase = KeyFile.open(next, "correct horse".toCharArray());
          StorageKey byProtection = KeyFile.openSuccessor(next, u.protection())) {
        assertTrue(same(rotated, byPassphrase) && same(rotated, byProtection));
        assertFalse(same(u.master(), byPassphrase));
      }
      KeyFileException wrong = assertThrows(KeyFileException.class, () -> KeyFile.open(next, "wrong".toCharArray()));
      assertEquals(KeyFileException.Reason.WRONG_PASSPHRASE, wrong.reason());
      KeyFile.promote(next, file);
      assertFalse(Files.exists(next));
      try (StorageKey now = KeyFile.open(file, "correct horse".toCharArray())) {
        assertTrue(same(rotated, now));
      }
    }
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left");
    }
  }

  @Test
  void successorOfAClearFile_isClear() throws Exception {
    Path file = dir.resolve("master.key");
    Path next = dir.resolve("master.key.next");
    KeyFile.create(file, null, FAST).close();
    try (KeyFile.Unlocked u = KeyFile.unlock(file, null); StorageKey rotated = StorageKey.generate()) {
      assertFalse(u.protection().byPassphrase());
      KeyFile.writeSuccessor(next, rotated, u.protection());
      assertFalse(KeyFile.isProtected(next));
      try (StorageKey read = KeyFile.open(next, (char[]) null)) {
        assertTrue(same(rotated, read));
      }
    }
  }

  @Test
  void aFileProtectedAnotherWay_isRefusedByTheKeptProtection() throws Exception {
    Path a = dir.resolve("a.key");
    Path b = dir.resolve("b.key");
    KeyFile.create(a, "one".toCharArray(), FAST).close();
    KeyFile.create(b, "one".toCharArray(), FAST).close(); // same passphrase, another salt
    try (KeyFile.Unlocked u = KeyFile.unlock(a, "one".toCharArray())) {
      KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFile.openSuccessor(b, u.protection()));
      assertEquals(KeyFileException.Reason.CORRUPT, e.reason());
    }
  }
}
