package dev.mnode.node;

import static dev.mnode.node.NodeTestSupport.FAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.store.Memory;
import dev.mnode.store.StoreInUseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a home that is not one, lacks its key, or is locked by another passphrase fails clearly. */
class OpenHomeFailuresTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  private static List<Path> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void init_createsOwnerOnlyHome_keyFile_andStore() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, FAST, CLOCK).close();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.dir())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.keyFile())));
    assertTrue(Files.isDirectory(home.storeDir()));
  }

  @Test
  void open_emptyDirectory_saysNotAnMnodeHome_andCreatesNothing() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("empty"));
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.open(new Home(dir), PassphraseSource.NONE, CLOCK));
    assertEquals(
        "not an mnode home: " + dir.toAbsolutePath() + " (run `mnode init` first, or pass --home DIR)",
        e.getMessage());
    assertEquals(List.of(), listing(dir));
  }

  @Test
  void open_missingDirectory_saysNotAnMnodeHome_andCreatesNothing() {
    Path dir = tmp.resolve("missing");
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.open(new Home(dir), PassphraseSource.NONE, CLOCK));
    assertTrue(e.getMessage().startsWith("not an mnode home: "), e.getMessage());
    assertFalse(Files.exists(dir));
  }

  @Test
  void open_directoryOfOtherFiles_saysNotAnMnodeHome() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("docs"));
    Files.writeString(dir.resolve("notes.txt"), "hello");
    Files.createDirectory(dir.resolve("store"));
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.open(new Home(dir), PassphraseSource.NONE, CLOCK));
    assertTrue(e.getMessage().startsWith("not an mnode home: "), e.getMessage());
  }

  @Test
  void open_storePresent_keyFileMissing_saysKeyFileMissing() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, FAST, CLOCK).close();
    Files.delete(home.keyFile());
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.open(home, PassphraseSource.NONE, CLOCK));
    assertEquals(
        "key file missing: " + home.keyFile() + " (the store cannot be opened without it)", e.getMessage());
  }

  @Test
  void open_keyFilePresent_storeMissing_saysNotAStore() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, FAST, CLOCK).close();
    try (Stream<Path> s = Files.walk(home.storeDir())) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.open(home, PassphraseSource.NONE, CLOCK));
    assertEquals("not an mnode store: " + home.storeDir(), e.getMessage());
  }

  @Test
  void open_keyFileOfAnotherHome_failsClearly() throws Exception {
    Home a = new Home(tmp.resolve("a"));
    Home b = new Home(tmp.resolve("b"));
    NodeModule.init(a, null, FAST, CLOCK).close();
    NodeModule.init(b, null, FAST, CLOCK).close();
    Files.copy(b.keyFile(), a.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.open(a, PassphraseSource.NONE, CLOCK));
    assertTrue(e.getMessage().contains("key file does not belong to this store"), e.getMessage());
  }

  @Test
  void open_corruptKeyFile_failsClearly() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, FAST, CLOCK).close();
    Files.writeString(home.keyFile(), "garbage");
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.open(home, PassphraseSource.NONE, CLOCK));
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
  }

  @Test
  void passphrase_right_opens_wrong_and_missing_failClearly() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    Memory m;
    try (MemoryService svc = NodeModule.init(home, "pw".toCharArray(), FAST, CLOCK)) {
      m = svc.remember(MemoryDraft.of("secret"));
      assertTrue(svc.status().passphraseProtected());
    }
    NodeException wrong =
        assertThrows(
            NodeException.class, () -> NodeModule.open(home, () -> "nope".toCharArray(), CLOCK));
    assertEquals("wrong passphrase", wrong.getMessage());
    NodeException none =
        assertThrows(NodeException.class, () -> NodeModule.open(home, PassphraseSource.NONE, CLOCK));
    assertEquals(
        "key file " + home.keyFile() + " is protected by a passphrase, and none was given:"
            + " set MNODE_PASSPHRASE or run mnode on a terminal",
        none.getMessage());
    try (MemoryService svc = NodeModule.open(home, () -> "pw".toCharArray(), CLOCK)) {
      assertEquals(m, svc.get(m.id().toString()));
    }
  }

  @Test
  void open_unprotectedKey_neverAsksForPassphrase() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, FAST, CLOCK).close();
    PassphraseSource fails =
        () -> {
          throw new AssertionError("asked for a passphrase the key file does not need");
        };
    NodeModule.open(home, fails, CLOCK).close();
  }

  @Test
  void init_overExistingHome_isRefused_andKeepsIt() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    Memory m;
    try (MemoryService svc = NodeModule.init(home, null, FAST, CLOCK)) {
      m = svc.remember(MemoryDraft.of("keep me"));
    }
    byte[] key = Files.readAllBytes(home.keyFile());
    NodeException e = assertThrows(NodeException.class, () -> NodeModule.init(home, null, FAST, CLOCK));
    assertEquals("already initialised: " + home.dir(), e.getMessage());
    assertTrue(java.util.Arrays.equals(key, Files.readAllBytes(home.keyFile())));
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, CLOCK)) {
      assertEquals(m, svc.get(m.id().toString()));
    }
  }

  @Test
  void init_nonEmptyDirectory_isRefused_andLeftAlone() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("busy"));
    Files.writeString(dir.resolve("mine.txt"), "x");
    NodeException e =
        assertThrows(NodeException.class, () -> NodeModule.init(new Home(dir), null, FAST, CLOCK));
    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    assertEquals(List.of(dir.resolve("mine.txt")), listing(dir));
  }

  @Test
  void open_whileOpenInThisProcess_failsWithStoreInUse() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    try (MemoryService svc = NodeModule.init(home, null, FAST, CLOCK)) {
      NodeException e =
          assertThrows(NodeException.class, () -> NodeModule.open(home, PassphraseSource.NONE, CLOCK));
      assertInstanceOf(StoreInUseException.class, e.getCause());
      assertEquals("store is in use by pid " + ProcessHandle.current().pid(), e.getMessage());
    }
    NodeModule.open(home, PassphraseSource.NONE, CLOCK).close();
  }
}
