package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorCacheTest {
  private static final List<String> TEXTS = List.of("a member of the genus Canis", "breathe with great difficulty");
  private static final float[][] VECTORS = {{0.6f, 0.8f, 0f}, {0f, -1f, 0f}};

  @Test
  void writeThenRead_givesTheVectorsAndTheirTimeBack(@TempDir Path dir) throws Exception {
    Path f = VectorCache.file(dir, "model/1", TEXTS);
    VectorCache.write(f, "model/1", TEXTS, VECTORS, 12.5);
    VectorCache.Entry e = VectorCache.read(f, "model/1", TEXTS, 3).orElseThrow();
    assertArrayEquals(VECTORS, e.vectors());
    assertEquals(12.5, e.seconds());
  }

  @Test
  void anotherModelCorpusOrSize_isAMiss(@TempDir Path dir) throws Exception {
    Path f = VectorCache.file(dir, "model/1", TEXTS);
    VectorCache.write(f, "model/1", TEXTS, VECTORS, 1);
    assertTrue(VectorCache.read(f, "model/2", TEXTS, 3).isEmpty());
    assertTrue(VectorCache.read(f, "model/1", List.of("a member of the genus Canis", "other"), 3).isEmpty());
    assertTrue(VectorCache.read(f, "model/1", TEXTS, 4).isEmpty());
    assertTrue(VectorCache.read(dir.resolve("absent.vec"), "model/1", TEXTS, 3).isEmpty());
  }

  @Test
  void everyFlippedByte_isAMiss(@TempDir Path dir) throws Exception {
    Path f = VectorCache.file(dir, "model/1", TEXTS);
    VectorCache.write(f, "model/1", TEXTS, VECTORS, 1);
    byte[] good = Files.readAllBytes(f);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      Files.write(f, bad);
      assertTrue(VectorCache.read(f, "model/1", TEXTS, 3).isEmpty(), "flipped byte " + i);
    }
    Files.write(f, java.util.Arrays.copyOf(good, good.length - 1));
    assertTrue(VectorCache.read(f, "model/1", TEXTS, 3).isEmpty(), "truncated");
  }
}
