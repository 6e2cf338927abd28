package dev.mnode.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mnode} process on this test's class path: its stdout lines arrive in a queue, its
 * stderr goes to {@code scratch/NAME.err}. The environment holds no {@code MNODE_} variables.
 */
final class MnodeChild implements AutoCloseable {
  /** Guards a test against a process that never answers; not a timing assertion. */
  static final long WAIT_SECONDS = 120;

  final Process process;
  final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  MnodeChild(Path scratch, String name, List<String> args) throws IOException {
    Path natives = Files.createDirectories(scratch.resolve("rocksdb-native"));
    stderr = scratch.resolve(name + ".err");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        Mnode.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("MNODE_") || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().put("ROCKSDB_SHAREDLIB_DIR", natives.toString());
    pb.redirectError(stderr.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    process = pb.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next stdout line, or null if none came within {@link #WAIT_SECONDS}. */
  String nextLine() throws InterruptedException {
    return lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  String err() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  /** Waits for the process to end and returns its exit code. */
  int waitFor() throws InterruptedException {
    if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("the mnode process did not end; stderr:\n" + err());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
