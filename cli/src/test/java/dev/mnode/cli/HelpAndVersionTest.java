package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --help works on every command and --version names the version; neither touches a home. */
class HelpAndVersionTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "mnode {0} --help")
  @ValueSource(
      strings = {
        "", "init", "remember", "get", "list", "update", "forget", "import", "export", "classes",
        "classes add", "status", "serve", "apps", "apps add", "apps list", "apps revoke", "audit", "mcp", "demo"
      })
  void help_onEveryCommand_printsUsageOnStdout_andExits0(String command) {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    args.add("--help");
    CliHarness.Result r = cli.runRaw(new byte[0], args.toArray(String[]::new));
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err(), r::toString);
    String expected = ("Usage: mnode " + command).strip();
    assertTrue(r.out().startsWith(expected), r::toString);
    assertTrue(r.out().contains("--help"), r::toString);
    assertFalse(Files.exists(cli.home));
  }

  @Test
  void help_listsEveryCommand() {
    CliHarness.Result r = new CliHarness(tmp.resolve("home")).runRaw(new byte[0], "--help");
    for (String c :
        List.of("init", "remember", "get", "list", "update", "forget", "import", "export", "classes", "status", "serve", "apps", "audit", "mcp", "demo")) {
      assertTrue(r.out().contains("  " + c + " "), c + " missing from: " + r.out());
    }
  }

  @Test
  void noCommand_printsUsage_andExits0() {
    CliHarness.Result r = new CliHarness(tmp.resolve("home")).runRaw(new byte[0]);
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("Usage: mnode"), r::toString);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--version", "-V"})
  void version_printsMnodeAndTheProjectVersion(String flag) {
    CliHarness.Result r = new CliHarness(tmp.resolve("home")).runRaw(new byte[0], flag);
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err());
    assertTrue(r.out().matches("mnode \\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?\\R"), r::toString);
  }
}
