package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A long-running {@code mnode} command (such as {@code p2p listen}) run in this process on its own
 * thread through {@link Mnode#run}, with stdout and stderr readable while it runs. Closing it
 * interrupts the command, the in-process form of killing it, and waits for it to end.
 */
final class LiveCommand implements AutoCloseable {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
  private final Thread thread;

  LiveCommand(String... args) {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    thread =
        new Thread(
            () -> exit.set(Mnode.run(args, new ByteArrayInputStream(new byte[0]), o, e, Map.of(), Clock.systemUTC())),
            "mnode " + String.join(" ", args));
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits up to {@code limit} for the first full line on stdout and returns it. */
  String firstLine(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      String s = out.toString(StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      if (nl >= 0) {
        return s.substring(0, nl);
      }
      assertTrue(thread.isAlive(), () -> "the command ended without a line: " + this);
      assertTrue(System.nanoTime() < deadline, () -> "no line on stdout within " + limit + ": " + this);
      Thread.sleep(10);
    }
  }

  /** Waits up to {@code limit} for the command to end on its own and returns its exit code. */
  int awaitExit(Duration limit) throws InterruptedException {
    thread.join(limit.toMillis());
    assertTrue(!thread.isAlive(), () -> "still running after " + limit + ": " + this);
    return exit.get();
  }

  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(15_000);
  }

  @Override
  public String toString() {
    return "exit " + exit.get() + "\n--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
  }
}
