package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.assertFailed;
import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** With --json, a failure prints {"error":{"code","message"}} on stdout and one line on stderr. */
class JsonErrorContractTest {
  private static final String UNKNOWN_ID = "01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b";

  @TempDir Path tmp;

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new String[] {"--json", "get", UNKNOWN_ID}, 3, "not_found"),
        Arguments.of(new String[] {"--json", "forget", UNKNOWN_ID}, 3, "not_found"),
        Arguments.of(new String[] {"--json", "update", UNKNOWN_ID, "--text", "x"}, 3, "not_found"),
        Arguments.of(new String[] {"--json", "get", "not-an-id"}, 2, "invalid_input"),
        Arguments.of(new String[] {"--json", "remember", " "}, 2, "invalid_input"),
        Arguments.of(new String[] {"--json", "remember", "--importance", "1.5", "x"}, 2, "invalid_input"),
        Arguments.of(new String[] {"--json", "remember", "--class", "legal", "x"}, 2, "invalid_input"),
        Arguments.of(new String[] {"--json", "classes", "add", "Work"}, 2, "invalid_input"),
        Arguments.of(new String[] {"--json", "list", "--since", "someday"}, 2, "invalid_date"),
        Arguments.of(new String[] {"--json", "remember", "--bogus", "x"}, 2, "usage"),
        Arguments.of(new String[] {"remember", "--json", "--importance", "abc", "x"}, 2, "usage"),
        Arguments.of(new String[] {"--json", "frobnicate"}, 2, "usage"),
        Arguments.of(new String[] {"--json", "init"}, 1, "error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failure_withJson_printsErrorObjectOnStdout_andOneLineOnStderr(String[] args, int exit, String code) {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    cli.remember("existing");
    byte[] before = cli.export();
    CliHarness.Result r = cli.run(args);
    JsonNode doc = oneJson(r);
    assertEquals(Set.of("error"), names(doc));
    JsonNode error = doc.get("error");
    assertEquals(Set.of("code", "message"), names(error));
    assertEquals(code, error.get("code").textValue(), r::toString);
    String message = error.get("message").textValue();
    assertFailed(r, exit, message);
    assertEquals("mnode: " + message, r.errLines().get(0));
    assertTrue(java.util.Arrays.equals(before, cli.export()), "store unchanged");
  }

  @Test
  void notAHome_withJson_printsErrorObject() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("not-a-home"));
    CliHarness cli = new CliHarness(dir);
    CliHarness.Result r = cli.run("--json", "list");
    JsonNode error = oneJson(r).get("error");
    assertEquals("error", error.get("code").textValue());
    assertTrue(error.get("message").textValue().startsWith("not an mnode home: "), r::toString);
    assertFailed(r, 1, "not an mnode home");
  }

  private static Set<String> names(JsonNode o) {
    Set<String> s = new TreeSet<>();
    o.fieldNames().forEachRemaining(s::add);
    return s;
  }
}
