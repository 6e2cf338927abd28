package dev.mnode.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code bin/mnode serve} process on a free port of 127.0.0.1, started by the constructor
 * and stopped with SIGTERM by {@link #close}. Its stderr goes to a file in the scratch directory.
 *
 * <p>Confined to the thread that made it.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final long START_SECONDS = 120;
  private static final long STOP_SECONDS = 30;

  private final Process process;
  private final Path stderr;
  private final URI base;
  private final double startMs;

  /**
   * Starts {@code mnode --home HOME serve --port 0} and waits for its first line.
   *
   * @throws IllegalStateException if it does not say where it listens within two minutes
   */
  ServeProcess(Path launcher, Path home, Path scratch) throws IOException, InterruptedException {
    stderr = scratch.resolve("serve-stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "--home", home.toString(), "serve", "--port", "0", "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"));
    ProcessTimer.MNODE_ENV.forEach(pb.environment()::remove);
    pb.redirectError(stderr.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    long t0 = System.nanoTime();
    process = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = first.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      line = null;
    }
    startMs = (System.nanoTime() - t0) / 1e6;
    Matcher m = line == null ? null : LISTENING.matcher(line);
    if (m == null || !m.matches()) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("mnode serve did not start (first line: " + line + "): " + Files.readString(stderr).strip());
    }
    base = URI.create(m.group(1));
    // Keep draining stdout so the node never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discarded
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "serve-stdout");
    drain.setDaemon(true);
    drain.start();
  }

  /** Where the node listens, for example {@code http://127.0.0.1:41234}. */
  URI base() {
    return base;
  }

  /** From the spawn to the "listening on" line, in milliseconds. */
  double startMs() {
    return startMs;
  }

  /** Sends SIGTERM and waits for the exit; kills the process if it does not stop in 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("mnode serve did not stop on SIGTERM within " + STOP_SECONDS + " s");
    }
  }
}
