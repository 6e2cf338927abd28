package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code mnode serve} process on this test's class path, serving {@code home} on a free
 * port of 127.0.0.1 and syncing on a free port of 127.0.0.1 (no mDNS) unless {@code extra} says
 * otherwise. {@link #stop} sends SIGTERM, as a service manager would; {@link #kill} is kill -9.
 */
final class NodeProcess implements AutoCloseable {
  /** Guards a test against a process that never starts or stops; not a timing assertion. */
  static final long WAIT_SECONDS = MnodeChild.WAIT_SECONDS;
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern SYNCING = Pattern.compile("syncing on (\\S+)");

  final Process process;
  final int port;
  final Path stderr;
  /** The libp2p addresses it syncs on, each ending in /p2p/ID. */
  final List<String> p2p = new ArrayList<>();
  private final MnodeChild child;

  NodeProcess(Path home, Path scratch, String... extra) throws Exception {
    this("serve", home, scratch, extra);
  }

  /** As {@link #NodeProcess(Path, Path, String...)}, its stderr in {@code scratch/NAME.err}. */
  NodeProcess(String name, Path home, Path scratch, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--home", home.toString(), "serve", "--port", "0"));
    args.addAll(List.of(extra));
    if (!List.of(extra).contains("--listen")) {
      args.addAll(List.of("--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"));
    }
    child = new MnodeChild(scratch, name, args);
    process = child.process;
    stderr = child.stderr;
    String first = child.nextLine();
    assertNotNull(first, () -> "mnode serve printed nothing; stderr:\n" + err());
    Matcher m = LISTENING.matcher(first);
    assertTrue(m.matches(), () -> "unexpected first line: " + first + "\nstderr:\n" + err());
    port = Integer.parseInt(m.group(1));
    String next = child.nextLine();
    Matcher s = next == null ? null : SYNCING.matcher(next);
    assertTrue(s != null && s.matches(), () -> "unexpected second line: " + next + "\nstderr:\n" + err());
    p2p.add(s.group(1));
  }

  String err() {
    return child.err();
  }

  /** Sends SIGTERM and returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "mnode serve did not stop on SIGTERM");
    return process.exitValue();
  }

  /** Kills the process at once (SIGKILL), as a crash or a power cut would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "mnode serve did not die on SIGKILL");
  }

  @Override
  public void close() throws InterruptedException {
    child.close();
  }
}
