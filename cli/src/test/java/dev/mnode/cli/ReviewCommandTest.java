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
  void unsureMemory_isListed_thenAcceptedOrSet_andLeavesTheList() throws Exception {
    // Flagged memories as the node leaves them (import keeps metadata), so the test does not
    // depend on where the model puts a text relative to the threshold.
    String flags = "\"metadata\": {\"class_source\": \"auto\", \"class_confidence\": \"0.31\", \"review\": \"class\", \"class_proposed\": \"health\"}";
    Path in = tmp.resolve("in.jsonl");
    java.nio.file.Files.writeString(in,
        "{\"id\": \"01900000-0000-7000-8000-000000000001\", \"text\": \"Saw Dr. Lee\", \"class\": \"other\", " + flags + "}\n"
            + "{\"id\": \"01900000-0000-7000-8000-000000000002\", \"text\": \"Lee's party\", \"class\": \"other\", " + flags + "}\n"
            + "{\"text\": \"not flagged\", \"class\": \"other\"}\n");
    cli.ok("import", in.toString());
    String a = "01900000-0000-7000-8000-000000000001";
    String b = "01900000-0000-7000-8000-000000000002";

    JsonNode list = CliHarness.oneJson(cli.ok("review", "--json"));
    assertEquals(2, list.size(), list.toString());
    assertEquals(b, list.get(0).get("id").textValue(), "newest first");
    assertEquals("health", list.get(1).get("proposed").textValue());
    assertEquals(0.31, list.get(1).get("confidence").doubleValue());
    assertEquals("other", list.get(1).get("class").textValue());
    assertTrue(cli.ok("review").out().contains(a + "  health? (0.31)  Saw Dr. Lee"));

    JsonNode accepted = CliHarness.oneJson(cli.ok("review", a, "--accept", "--json"));
    assertEquals("health", accepted.get("class").textValue());
    assertEquals("review", accepted.get("metadata").get("class_source").textValue());
    assertFalse(accepted.get("metadata").has("review"));
    assertFalse(accepted.get("metadata").has("class_confidence"));
    assertEquals("class of " + b + " set to personal\n", cli.ok("review", b, "--class", "personal").out());

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
