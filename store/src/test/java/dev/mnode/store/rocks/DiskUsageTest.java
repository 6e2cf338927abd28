package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskUsageTest {
  @TempDir Path dir;

  @Test
  void sumsRegularFilesInSubdirectories() throws IOException {
    Files.write(dir.resolve("a"), new byte[100]);
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/b"), new byte[23]);
    assertEquals(123, DiskUsage.of(dir));
  }

  /** RocksDB deletes obsolete SST and log files in the background while status measures the store. */
  @Test
  void filesVanishingDuringTheWalkAreNotAnError() throws Exception {
    for (int i = 0; i < 200; i++) {
      Files.write(dir.resolve("keep-" + i), new byte[10]);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread churn =
        new Thread(
            () -> {
              // Create a burst of files, then delete them all: walks that list the burst and
              // measure it while it is being deleted meet files that no longer exist.
              for (int burst = 0; burst < 2_000 && !stop.get(); burst++) {
                try {
                  for (int n = 0; n < 500; n++) {
                    Files.write(dir.resolve("churn-" + n), new byte[0]);
                  }
                  for (int n = 0; n < 500; n++) {
                    Files.deleteIfExists(dir.resolve("churn-" + n));
                  }
                } catch (IOException e) {
                  return;
                }
              }
            });
    churn.start();
    try {
      for (int round = 0; round < 1_000; round++) {
        long size = DiskUsage.of(dir);
        assertTrue(size == 2_000, "size " + size);
      }
    } finally {
      stop.set(true);
      churn.join(10_000);
    }
  }

  @Test
  void aMissingStoreDirectoryIsStillAnError() {
    org.junit.jupiter.api.Assertions.assertThrows(
        NoSuchFileException.class, () -> DiskUsage.of(dir.resolve("absent")));
  }
}
