package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.RecoveryPhrase;
import dev.mnode.node.backup.Backups;
import dev.mnode.node.backup.RecoveryPhrases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup reveals nothing in clear, and an altered, truncated, extended or spliced archive, or a
 * wrong phrase, is refused with one clear line and leaves no home and no temporary directory.
 */
class BackupTamperTest {
  @TempDir Path tmp;
  private byte[] archive;
  private byte[] other;
  private String words;

  @BeforeEach
  void backUp() throws Exception {
    TestClock clock = new TestClock("2026-11-20T09:00:00Z");
    try (MemoryService svc = NodeModule.init(new Home(tmp.resolve("src")), null, NodeTestSupport.FAST, clock)) {
      BackupRestoreTest.fill(svc, 150, clock);
      for (int i = 0; i < 200; i++) {
        svc.remember(MemoryDraft.of("padding memory " + i + " " + "x".repeat(8000)));
      }
      NodeModule.backup(svc, tmp.resolve("a.mnbk"), NodeTestSupport.FAST, ProgressListener.NONE);
      NodeModule.backup(svc, tmp.resolve("b.mnbk"), NodeTestSupport.FAST, ProgressListener.NONE);
      try (RecoveryPhrases.Ensured p = NodeModule.recoveryPhrase(svc)) {
        words = p.phrase().words();
      }
    }
    archive = Files.readAllBytes(tmp.resolve("a.mnbk"));
    other = Files.readAllBytes(tmp.resolve("b.mnbk"));
  }

  @Test
  void archive_holdsNoTextClassOrTagInClear() {
    assertTrue(archive.length > (1 << 20), "more than one segment: " + archive.length);
    String bytes = new String(archive, StandardCharsets.ISO_8859_1);
    for (String clear : List.of("zanzibar", "memory number", "research", "quokka", "padding", "claude", "project", "config")) {
      assertFalse(bytes.contains(clear), clear + " is in clear");
    }
  }

  @Test
  void restore_damagedArchives_areRefusedAndWriteNothing() throws Exception {
    int n = archive.length;
    Map<String, byte[]> bad = new LinkedHashMap<>();
    bad.put("flipped header byte", flip(archive, 10));
    bad.put("flipped salt byte", flip(archive, 25));
    bad.put("flipped byte in the middle", flip(archive, n / 2));
    bad.put("flipped byte in the last segment", flip(archive, n - 10));
    for (int cut : new int[] {0, 40, 63, 200, 1 << 20, n / 2, n - 1}) {
      bad.put("truncated at " + cut, Arrays.copyOf(archive, cut));
    }
    bad.put("bytes appended", Arrays.copyOf(archive, n + 7));
    byte[] spliced = archive.clone();
    System.arraycopy(other, (1 << 20) + 100, spliced, (1 << 20) + 100, 1 << 16);
    bad.put("segment spliced from another backup", spliced);
    int i = 0;
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      Path file = tmp.resolve("bad" + i + ".mnbk");
      Files.write(file, e.getValue());
      Home target = new Home(tmp.resolve("restored" + i++));
      try (RecoveryPhrase phrase = RecoveryPhrase.parse(words)) {
        NodeException ex = assertThrows(NodeException.class,
            () -> Backups.restore(file, phrase, target, null, NodeTestSupport.FAST, ProgressListener.NONE), e.getKey());
        assertFalse(ex.getMessage().contains("\n"), ex.getMessage());
        assertTrue(ex.getMessage().matches(".*(backup|recovery phrase).*"), e.getKey() + ": " + ex.getMessage());
      }
      assertFalse(Files.exists(target.dir()), e.getKey() + " left a home");
    }
    assertNoTemporaryDirectories();
  }

  @Test
  void restore_wrongPhrase_saysSoAndWritesNothing() throws Exception {
    Path file = tmp.resolve("a.mnbk");
    Home target = new Home(tmp.resolve("restored"));
    try (RecoveryPhrase wrong = RecoveryPhrase.generate()) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> Backups.restore(file, wrong, target, null, NodeTestSupport.FAST, ProgressListener.NONE));
      assertEquals("the recovery phrase does not open this backup", e.getMessage());
    }
    assertFalse(Files.exists(target.dir()));
    assertNoTemporaryDirectories();
  }

  private void assertNoTemporaryDirectories() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      List<Path> left = s.filter(p -> p.getFileName().toString().contains(".restore-")).toList();
      assertEquals(List.of(), left);
    }
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] out = b.clone();
    out[at] ^= 0x20;
    return out;
  }
}
