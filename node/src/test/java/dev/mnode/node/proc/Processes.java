package dev.mnode.node.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Starts {@link WriterMain} as a real JVM process with this test's class path. */
final class Processes {
  private Processes() {}

  /**
   * Starts a writer. RocksDB extracts its 17 MB native library into {@code scratch} rather than
   * the system temporary directory: a process killed with SIGKILL never deletes its copy, and the
   * test's temporary directory is removed after the test.
   */
  static Process start(Path scratch, String... args) throws IOException {
    Path natives = java.nio.file.Files.createDirectories(scratch.resolve("rocksdb-native"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                WriterMain.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("ROCKSDB_SHAREDLIB_DIR", natives.toString());
    return pb.start();
  }
}
