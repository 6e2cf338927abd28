package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** remember without --class prints the class the node chose; review lists and settles the unsure ones. */
class ReviewCommandTest {
  @TempDir Path tmp;
  private CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(tmp.resolve("home"));
    cli.init();
  }

  @Test
  void rememberWithoutClass_printsClassConfidenceAndSource() {
    JsonNode r = CliHarness.oneJson(cli.ok("remember", "Takes 20 mg of atorvastatin every evening for cholesterol.", "--json"));
    assertEquals("health", r.get("class").textValue());
    assertEquals("auto", r.get("class_source").textValue());
    double c = r.get("confidence").doubleValue();
    assertTrue(c >= 0.5 && c <= 1, "confidence " + c);
    assertFalse(r.get("review").booleanValue());

    String human = cli.ok("remember", "Blood test on Monday morning, fasting from 8 p.m.").out();
    assertTrue(human.matches("(?s)remembered \\S+ \\(health, 0\\.\\d\\d auto\\)\\n"), human);

    JsonNode named = CliHarness.oneJson(cli.ok("remember", "We chose Stripe", "--class", "work", "--json"));
    assertEquals("user", named.get("class_source").textValue());
    assertEquals(1.0, named.get("confidence").doubleValue());
  }

  @Test
  void unsureMemory_isListed_thenAcceptedOrSet_andLeavesTheList() {
    JsonNode a = CliHarness.oneJson(cli.ok("remember", "zq", "--json"));
    JsonNode b = CliHarness.oneJson(cli.ok("remember", "xv", "--json", "--allow-duplicate"));
    assertEquals("other", a.get("class").textValue());
    assertTrue(a.get("review").booleanValue());
    String proposed = a.get("metadata").get("class_proposed").textValue();

    JsonNode list = CliHarness.oneJson(cli.ok("review", "--json"));
    assertEquals(2, list.size(), list.toString());
    assertEquals(b.get("id").textValue(), list.get(0).get("id").textValue(), "newest first");
    assertEquals(proposed, list.get(1).get("proposed").textValue());
    assertTrue(list.get(1).get("confidence").doubleValue() < 0.5);
    assertTrue(cli.ok("review").out().contains(a.get("id").textValue()));

    JsonNode accepted = CliHarness.oneJson(cli.ok("review", a.get("id").textValue(), "--accept", "--json"));
    assertEquals(proposed, accepted.get("class").textValue());
    assertEquals("review", accepted.get("metadata").get("class_source").textValue());
    assertFalse(accepted.get("metadata").has("review"));
    assertEquals("class of " + b.get("id").textValue() + " set to personal\n",
        cli.ok("review", b.get("id").textValue(), "--class", "personal").out());

    assertEquals(0, CliHarness.oneJson(cli.ok("review", "--json")).size());
    assertEquals("nothing to review\n", cli.ok("review").out());
  }

  @Test
  void review_badUse_failsWithOneLine() {
    CliHarness.assertFailed(cli.run("review", "--accept"), Mnode.EXIT_INVALID, "need the ID");
    String id = cli.remember("We chose Stripe", "--class", "work");
    CliHarness.assertFailed(cli.run("review", id), Mnode.EXIT_INVALID, "--class C or --accept");
    CliHarness.assertFailed(cli.run("review", id, "--accept"), Mnode.EXIT_INVALID, "no proposed class");
    CliHarness.assertFailed(cli.run("review", id, "--class", "nope"), Mnode.EXIT_INVALID, "unknown class");
  }
}
