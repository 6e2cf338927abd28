package dev.mnode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The store's size on disk at one point.
 *
 * @param stage when it was measured
 * @param layer the API that reported the total
 * @param memories memories in the store
 * @param bytes bytes of all the store's files, as the layer reported them
 * @param mib the same in MiB
 * @param bytesPerMemory bytes divided by memories
 * @param walBytes bytes of write-ahead-log files ({@code *.log})
 * @param tableBytes bytes of table files ({@code *.sst})
 */
record DiskResult(
    String stage,
    String layer,
    long memories,
    long bytes,
    double mib,
    double bytesPerMemory,
    long walBytes,
    long tableBytes) {

  /**
   * Derives the MiB and per-memory figures from {@code bytes} and splits {@code storeDir}'s files.
   */
  static DiskResult of(String stage, String layer, long memories, long bytes, Path storeDir)
      throws IOException {
    return new DiskResult(
        stage,
        layer,
        memories,
        bytes,
        Fmt.round(bytes / 1048576.0, 1),
        Fmt.round((double) bytes / memories, 0),
        bytesEndingWith(storeDir, ".log"),
        bytesEndingWith(storeDir, ".sst"));
  }

  private static long bytesEndingWith(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long sum = 0;
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList()) {
        sum += Files.size(f);
      }
      return sum;
    }
  }
}
