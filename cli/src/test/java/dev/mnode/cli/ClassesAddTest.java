package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.assertFailed;
import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** classes add validates the name ([a-z][a-z0-9-]{0,31}) and makes the class usable. */
class ClassesAddTest {
  @TempDir Path tmp;

  private CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(tmp.resolve("home"));
    cli.init();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "Work", "1abc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "a.b", "with space", "under_score",
        "caf\u00e9", "legal\n"
      })
  void classesAdd_invalidName_exits2_andAddsNothing(String name) {
    CliHarness.Result before = cli.ok("classes");
    CliHarness.Result r = cli.run("classes", "add", name);
    assertFailed(r, 2, "invalid class name");
    assertEquals(before.out(), cli.ok("classes").out());
  }

  @Test
  void classesAdd_nameStartingWithDash_isRejected() {
    assertFailed(cli.run("classes", "add", "--", "-abc"), 2, "invalid class name");
    assertFailed(cli.run("classes", "add", "-abc"), 2, "(see: mnode classes add --help)");
  }

  @Test
  void thirtyThreeCharacters_isRejected_thirtyTwoAccepted() {
    assertEquals(33, "a".repeat(33).length());
    assertFailed(cli.run("classes", "add", "a".repeat(33)), 2, "at most 32");
    String longest = "a" + "b1-".repeat(10) + "z";
    assertEquals(32, longest.length());
    assertEquals(0, cli.run("classes", "add", longest).exit());
    assertTrue(cli.ok("classes").out().contains(longest));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"legal", "a", "x1", "side-project", "q3-2026"})
  void classesAdd_validName_makesTheClassUsable(String name) {
    CliHarness.Result added = cli.ok("classes", "add", name);
    assertEquals("added class " + name + "\n", added.out());
    String id = cli.remember("in the new class", "--class", name);
    JsonNode m = oneJson(cli.ok("--json", "get", id));
    assertEquals(name, m.get("class").textValue());
    JsonNode listed = oneJson(cli.ok("--json", "list", "--class", name));
    assertEquals(1, listed.size());
    assertEquals(1, oneJson(cli.ok("--json", "status")).get("classes").get(name).longValue());
    String other = cli.remember("moved later");
    cli.ok("update", other, "--class", name);
    assertEquals(2, oneJson(cli.ok("--json", "list", "--class", name)).size());
  }

  @Test
  void classesAdd_existingClass_saysSo_andKeepsItsMemories() {
    cli.remember("w", "--class", "work");
    byte[] before = cli.export();
    CliHarness.Result r = cli.ok("classes", "add", "work");
    assertEquals("class work already exists\n", r.out());
    assertArrayEquals(before, cli.export());
    assertEquals(1, oneJson(cli.ok("--json", "status")).get("classes").get("work").longValue());
  }

  @Test
  void unknownClass_isRefused_untilAdded() {
    assertFailed(cli.run("remember", "--class", "legal", "x"), 2, "mnode classes add legal");
    cli.ok("classes", "add", "legal");
    cli.ok("remember", "--class", "legal", "x");
  }
}
