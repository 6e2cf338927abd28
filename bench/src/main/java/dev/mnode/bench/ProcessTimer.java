package dev.mnode.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Spawns commands as new processes and times them from start to exit. Each child gets this
 * process's environment without mnode's own variables, plus the command's; its stdout is discarded
 * or captured in a scratch file, and its stderr kept in one for error messages.
 */
final class ProcessTimer {
  /** Environment variables of mnode that a command does not inherit unless it sets them. */
  static final List<String> MNODE_ENV =
      List.of("MNODE_HOME", "MNODE_NO_CDS", "MNODE_JAVA_OPTS", "MNODE_PASSPHRASE", "MNODE_DEBUG");

  /**
   * A command to spawn.
   *
   * @param name what it shows, for the table
   * @param argv program and arguments
   * @param env variables to set
   */
  record Command(String name, List<String> argv, Map<String, String> env) {
    Command {
      argv = List.copyOf(argv);
      env = Map.copyOf(env);
    }
  }

  /**
   * One finished run.
   *
   * @param startNanos {@link System#nanoTime()} just before the spawn
   * @param endNanos {@link System#nanoTime()} once the exit was seen
   * @param stdout what it printed, when captured
   */
  record Run(long startNanos, long endNanos, String stdout) {
    double millis() {
      return (endNanos - startNanos) / 1e6;
    }
  }

  private final Duration timeout;
  private final Path stdout;
  private final Path stderr;
  private final Map<String, String> aliases;

  /**
   * A timer whose children write their captured output into {@code scratch}.
   *
   * @param timeout bound of one run; a run over it is killed and fails the benchmark
   * @param scratch a directory for the children's captured stdout and stderr
   * @param aliases path prefixes replaced by short names in displayed commands
   */
  ProcessTimer(Duration timeout, Path scratch, Map<String, String> aliases) {
    this.timeout = timeout;
    this.stdout = scratch.resolve("child-stdout.txt");
    this.stderr = scratch.resolve("child-stderr.txt");
    this.aliases = new LinkedHashMap<>(aliases);
  }

  /**
   * Runs each command {@code warmups} times untimed, then {@code runs} times timed. The commands
   * take turns (A B C, A B C, ...) so that a drift in the machine's speed affects them alike.
   */
  List<ProcessResult> time(List<Command> commands, int warmups, int runs)
      throws IOException, InterruptedException {
    for (int i = 0; i < warmups; i++) {
      for (Command c : commands) {
        run(c, false);
      }
    }
    double[][] ms = new double[commands.size()][runs];
    for (int r = 0; r < runs; r++) {
      for (int c = 0; c < commands.size(); c++) {
        ms[c][r] = run(commands.get(c), false).millis();
      }
    }
    List<ProcessResult> out = new ArrayList<>();
    for (int c = 0; c < commands.size(); c++) {
      Command cmd = commands.get(c);
      double[] sorted = ms[c].clone();
      Arrays.sort(sorted);
      out.add(
          new ProcessResult(
              cmd.name(),
              display(cmd.argv()),
              new TreeMap<>(cmd.env()),
              runs,
              Fmt.round(sorted[0], 1),
              Fmt.round(sorted[(runs - 1) / 2], 1),
              Fmt.round(sorted[runs - 1], 1)));
    }
    return out;
  }

  /**
   * Runs {@code c} once.
   *
   * @throws IllegalStateException if it exits with a non-zero status or outlives the timeout
   */
  Run run(Command c, boolean captureStdout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(c.argv());
    MNODE_ENV.forEach(pb.environment()::remove);
    pb.environment().putAll(c.env());
    pb.redirectError(stderr.toFile());
    pb.redirectOutput(
        captureStdout
            ? ProcessBuilder.Redirect.to(stdout.toFile())
            : ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException(
          display(c.argv()) + " took longer than " + timeout.toSeconds() + " s");
    }
    long t1 = System.nanoTime();
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          display(c.argv())
              + " exited with "
              + p.exitValue()
              + ": "
              + Files.readString(stderr).strip());
    }
    return new Run(t0, t1, captureStdout ? Files.readString(stdout, StandardCharsets.UTF_8) : "");
  }

  /** The command line as shown in results: known paths shortened. */
  String display(List<String> argv) {
    String s = String.join(" ", argv);
    for (Map.Entry<String, String> e : aliases.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    return s;
  }
}
