package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code mnode serve} process on this test's class path, serving {@code home} on a free
 * port of 127.0.0.1. {@link #stop} sends SIGTERM, as a service manager would.
 */
final class NodeProcess implements AutoCloseable {
  /** Guards a test against a process that never starts or stops; not a timing assertion. */
  static final long WAIT_SECONDS = 120;
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  final Process process;
  final int port;
  final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  NodeProcess(Path home, Path scratch, String... extra) throws Exception {
    Path natives = Files.createDirectories(scratch.resolve("rocksdb-native"));
    stderr = scratch.resolve("serve.err");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        Mnode.class.getName(), "--home", home.toString(), "serve", "--port", "0"));
    cmd.addAll(List.of(extra));
    if (!List.of(extra).contains("--listen")) {
      cmd.addAll(List.of("--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"));
    }
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
    }, "serve-stdout");
    reader.setDaemon(true);
    reader.start();
    String first = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(first, () -> "mnode serve printed nothing; stderr:\n" + err());
    Matcher m = LISTENING.matcher(first);
    assertTrue(m.matches(), () -> "unexpected first line: " + first + "\nstderr:\n" + err());
    port = Integer.parseInt(m.group(1));
  }

  String err() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  /** Sends SIGTERM and returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "mnode serve did not stop on SIGTERM");
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
