package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.assertFailed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.PassphraseSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input prints one "mnode: " line on stderr, nothing on stdout, exits non-zero (2 invalid
 * input or usage, 3 unknown id, 4 store in use, 1 other) and leaves the store as it was.
 */
class BadInputTest {
  private static final String UNKNOWN_ID = "01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b";
  private static final String EXISTING = "{EXISTING}";

  @TempDir Path tmp;

  private CliHarness cli;
  private String existing;
  private byte[] before;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    existing = cli.remember("existing", "--class", "work", "--tag", "t", "--meta", "k=v");
    cli.remember("second");
    before = cli.export();
  }

  static Stream<Arguments> badCommands() {
    String tooLong = "a".repeat(64 * 1024 + 1);
    return Stream.of(
        Arguments.of(List.of("remember", ""), 2, "text is empty"),
        Arguments.of(List.of("remember", "   "), 2, "text is empty"),
        Arguments.of(List.of("remember", " \t ", " "), 2, "text is empty"),
        Arguments.of(List.of("remember", tooLong), 2, "text is 65537 bytes"),
        Arguments.of(List.of("remember", "--importance", "1.1", "x"), 2, "importance"),
        Arguments.of(List.of("remember", "--importance", "-0.1", "x"), 2, "importance"),
        Arguments.of(List.of("remember", "--importance", "NaN", "x"), 2, "importance"),
        Arguments.of(List.of("remember", "--importance", "high", "x"), 2, "--importance"),
        Arguments.of(List.of("remember", "--class", "legal", "x"), 2, "unknown class \"legal\""),
        Arguments.of(List.of("remember", "--class", "Work", "x"), 2, "invalid class name"),
        Arguments.of(List.of("remember", "--link", "nope", "x"), 2, "not a memory id"),
        Arguments.of(List.of("remember"), 2, "TEXT"),
        Arguments.of(List.of("remember", "--bogus", "x"), 2, "--bogus"),
        Arguments.of(List.of("frobnicate"), 2, "frobnicate"),
        Arguments.of(List.of("get", UNKNOWN_ID), 3, "no memory with id " + UNKNOWN_ID),
        Arguments.of(List.of("update", UNKNOWN_ID, "--text", "x"), 3, "no memory with id " + UNKNOWN_ID),
        Arguments.of(List.of("forget", UNKNOWN_ID), 3, "no memory with id " + UNKNOWN_ID),
        Arguments.of(List.of("get", "not-an-id"), 2, "not a memory id"),
        Arguments.of(List.of("forget", "123"), 2, "not a memory id"),
        Arguments.of(List.of("update", EXISTING), 2, "nothing to update"),
        Arguments.of(List.of("update", EXISTING, "--text", " "), 2, "text is empty"),
        Arguments.of(List.of("update", EXISTING, "--text", tooLong), 2, "65537 bytes"),
        Arguments.of(List.of("update", EXISTING, "--importance", "1.5"), 2, "importance"),
        Arguments.of(List.of("update", EXISTING, "--class", "legal"), 2, "unknown class"),
        Arguments.of(List.of("update", EXISTING, "--link", EXISTING), 2, "link to itself"),
        Arguments.of(List.of("list", "--class", "legal"), 2, "unknown class"),
        Arguments.of(List.of("list", "--since", "someday"), 2, "not a date"),
        Arguments.of(List.of("list", "--limit", "0"), 2, "--limit"),
        Arguments.of(List.of("import"), 2, "FILE"),
        Arguments.of(List.of("import", "/no/such/file.jsonl"), 2, "no such file"),
        Arguments.of(List.of("classes", "add", "Work"), 2, "invalid class name"),
        Arguments.of(List.of("init"), 1, "already initialised"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCommands")
  void badInput_printsOneLine_exitsNonZero_andChangesNothing(List<String> args, int exit, String message) {
    String[] argv = args.stream().map(a -> a.equals(EXISTING) ? existing : a).toArray(String[]::new);
    CliHarness.Result r = cli.run(argv);
    assertFailed(r, exit, message.replace(EXISTING, existing));
    assertEquals("", r.out(), r::toString);
    assertArrayEquals(before, cli.export());
  }

  @Test
  void import_malformedLine_namesTheLine_andImportsNothing() throws Exception {
    Path file = tmp.resolve("bad.jsonl");
    Files.writeString(file, "{\"text\":\"a\"}\n\n{\"text\": oops}\n{\"text\":\"b\"}\n");
    CliHarness.Result r = cli.run("import", file.toString());
    assertFailed(r, 2, "line 3: malformed JSON");
    assertEquals("mnode: line 3: ", r.errLines().get(0).substring(0, 15));
    assertArrayEquals(before, cli.export());
  }

  @Test
  void import_nonUtf8Line_namesTheLine_andImportsNothing() throws Exception {
    Path file = tmp.resolve("latin1.jsonl");
    byte[] bytes =
        concat(
            "{\"text\":\"fine\"}\n".getBytes(StandardCharsets.UTF_8),
            new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    Files.write(file, bytes);
    CliHarness.Result r = cli.run("import", file.toString());
    assertFailed(r, 2, "line 2: not valid UTF-8");
    assertArrayEquals(before, cli.export());
    CliHarness.Result fromStdin = cli.runWithStdin(bytes, "import", "-");
    assertFailed(fromStdin, 2, "line 2: not valid UTF-8");
    assertArrayEquals(before, cli.export());
  }

  @Test
  void import_badLines_ofEveryKind_areRejectedWithTheirLineNumber() throws Exception {
    List<String> bad =
        List.of(
            "{\"text\":\"x\",\"class\":\"legal\"}",
            "{\"text\":\"x\",\"importance\":1.5}",
            "{\"text\":\"  \"}",
            "{\"text\":\"" + "b".repeat(64 * 1024 + 1) + "\"}",
            "{\"text\":\"x\",\"unknown\":1}");
    for (String line : bad) {
      Path file = tmp.resolve("bad.jsonl");
      Files.writeString(file, "{\"text\":\"ok\"}\r\n" + line + "\r\n");
      CliHarness.Result r = cli.run("import", file.toString());
      assertFailed(r, 2, "line 2: ");
      assertArrayEquals(before, cli.export());
    }
  }

  @Test
  void import_unreadablePath_failsClearly_exit2() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
    Path under = file.resolve("x.jsonl");
    assertFailed(cli.run("import", under.toString()), 2, "cannot read " + under + ": Not a directory");
    Path dir = Files.createDirectory(tmp.resolve("dir.jsonl"));
    assertFailed(cli.run("import", dir.toString()), 2, dir + " is a directory");
    assertArrayEquals(before, cli.export());
  }

  @Test
  void remember_textOnStdin_notUtf8_isRejected() {
    CliHarness.Result r = cli.runWithStdin(new byte[] {(byte) 0xC3, (byte) 0x28}, "remember", "-");
    assertFailed(r, 2, "not valid UTF-8");
    assertArrayEquals(before, cli.export());
  }

  @Test
  void remember_textOnStdin_over64KiB_isRejected_exactly64KiB_isAccepted() {
    byte[] tooLong = "a".repeat(64 * 1024 + 1).getBytes(StandardCharsets.UTF_8);
    assertFailed(cli.runWithStdin(tooLong, "remember", "-"), 2, "65537 bytes");
    assertArrayEquals(before, cli.export());
    byte[] exact = "a".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
    assertEquals(0, cli.runWithStdin(exact, "remember", "-").exit());
  }

  @Test
  void homeThatIsNotAStore_failsWithExit1_andCreatesNothing() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("plain"));
    Files.writeString(dir.resolve("notes.txt"), "mine");
    CliHarness other = new CliHarness(dir);
    for (String[] args :
        List.of(
            new String[] {"list"}, new String[] {"remember", "x"}, new String[] {"status"},
            new String[] {"get", UNKNOWN_ID}, new String[] {"export"})) {
      CliHarness.Result r = other.run(args);
      assertFailed(r, 1, "not an mnode home: " + dir.toAbsolutePath());
      assertEquals("", r.out());
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("notes.txt")), s.toList());
    }
    CliHarness missing = new CliHarness(tmp.resolve("missing"));
    assertFailed(missing.run("list"), 1, "not an mnode home");
    assertFalse(Files.exists(tmp.resolve("missing")));
  }

  @Test
  void keyFileMissing_failsWithExit1_sayingSo() throws Exception {
    Files.delete(cli.home.resolve("master.key"));
    assertFailed(cli.run("list"), 1, "key file missing");
  }

  @Test
  void storeInUse_exits4_andNamesThePid() throws Exception {
    try (MemoryService held =
        NodeModule.open(new Home(cli.home), PassphraseSource.NONE, Clock.systemUTC())) {
      CliHarness.Result r = cli.run("remember", "while held");
      assertFailed(r, 4, "store is in use by pid " + ProcessHandle.current().pid());
      CliHarness.Result j = cli.run("--json", "list");
      assertEquals(4, j.exit());
      assertEquals("store_in_use", CliHarness.oneJson(j).get("error").get("code").textValue());
      assertEquals(2, held.status().count(), "the holder still works");
    }
    assertArrayEquals(before, cli.export());
  }

  @Test
  void passphrase_wrongOrMissing_exits1_rightOpens() throws Exception {
    Path home = tmp.resolve("protected");
    try (MemoryService svc =
        NodeModule.init(
            new Home(home), "pw".toCharArray(), new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1), Clock.systemUTC())) {
      svc.remember(MemoryDraft.of("secret"));
    }
    CliHarness p = new CliHarness(home);
    assertFailed(p.run("list"), 1, "protected by a passphrase");
    p.env.put("MNODE_PASSPHRASE", "wrong");
    assertFailed(p.run("list"), 1, "wrong passphrase");
    p.env.put("MNODE_PASSPHRASE", "pw");
    CliHarness.Result ok = p.run("--json", "list");
    assertEquals(0, ok.exit(), ok::toString);
    assertEquals("secret", CliHarness.oneJson(ok).get(0).get("text").textValue());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
