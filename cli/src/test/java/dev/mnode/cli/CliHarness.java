package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code mnode} in this process through {@link Mnode#run} against one home, with an
 * environment holding only what the test puts in {@link #env}, and captures the exit code and
 * both streams.
 */
final class CliHarness {
  /** Plain Jackson, independent of the code under test. */
  static final ObjectMapper JSON = new ObjectMapper();

  final Path home;
  final Map<String, String> env = new HashMap<>();
  final Clock clock = new TickingClock(Instant.parse("2026-11-26T10:00:00Z"), Duration.ofMillis(1));

  CliHarness(Path home) {
    this.home = home;
  }

  /** What one command line did. */
  record Result(int exit, byte[] stdout, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  /** Runs {@code mnode --home HOME args...} with empty stdin. */
  Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  Result runWithStdin(byte[] stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(Arrays.asList(args));
    return runRaw(stdin, all.toArray(String[]::new));
  }

  /** Runs {@code mnode args...} exactly as given. */
  Result runRaw(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Mnode.run(args, new ByteArrayInputStream(stdin), o, e, Map.copyOf(env), clock);
    }
    return new Result(
        exit, out.toByteArray(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs a command that must succeed, and returns its result. */
  Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r);
    return r;
  }

  /** Creates the home. */
  void init() {
    ok("init");
  }

  /** Remembers {@code text} with extra options and returns the new id. */
  String remember(String text, String... options) {
    List<String> args = new ArrayList<>(List.of("--json", "remember"));
    args.addAll(Arrays.asList(options));
    args.add(text);
    return oneJson(ok(args.toArray(String[]::new))).get("id").textValue();
  }

  /** The store's full JSON Lines export, to compare before and after. */
  byte[] export() {
    return ok("export").stdout();
  }

  /**
   * Parses stdout as exactly one JSON document: fails when stdout is empty, is not JSON, or has
   * anything but whitespace after the document.
   */
  static JsonNode oneJson(Result r) {
    try (JsonParser p = JSON.getFactory().createParser(r.stdout())) {
      JsonNode n = JSON.readTree(p);
      assertNotNull(n, () -> "no JSON document on stdout: " + r);
      assertNull(p.nextToken(), () -> "something follows the JSON document: " + r);
      return n;
    } catch (IOException e) {
      throw new AssertionError("stdout is not one JSON document: " + r, e);
    }
  }

  /** Asserts the failure contract: one "mnode: " line on stderr and the given exit code. */
  static void assertFailed(Result r, int exit, String messagePart) {
    assertEquals(exit, r.exit(), r::toString);
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), () -> "exactly one line on stderr: " + r);
    assertTrue(r.err().endsWith("\n"), r::toString);
    assertTrue(lines.get(0).startsWith("mnode: "), r::toString);
    assertTrue(lines.get(0).contains(messagePart), () -> "stderr should mention \"" + messagePart + "\": " + r);
  }

  /** A clock that moves on by {@code step} every time it is read. */
  static final class TickingClock extends Clock {
    private Instant now;
    private final Duration step;

    TickingClock(Instant start, Duration step) {
      this.now = start;
      this.step = step;
    }

    @Override
    public synchronized Instant instant() {
      now = now.plus(step);
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
