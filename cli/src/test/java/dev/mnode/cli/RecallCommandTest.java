package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mnode recall}, {@code reindex} and the duplicate guard of {@code remember}, through the CLI. */
class RecallCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    cli.remember("We chose Stripe over Adyen for payments: better API, lower fees.", "--class", "work", "--tag", "payments");
    cli.remember("Standup moved to 9:30 on Tuesdays.", "--class", "work");
    cli.remember("I am allergic to penicillin.", "--class", "health");
    cli.remember("My daughter's birthday is on the 3rd of May.", "--class", "personal", "--source", "claude");
  }

  private JsonNode json(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "--json";
    System.arraycopy(args, 0, all, 1, args.length);
    CliHarness.Result r = cli.ok(all);
    return JSON.readTree(r.out());
  }

  @Test
  void recallJson_isAnArrayBestFirst_withTheContractFields() throws Exception {
    JsonNode a = json("recall", "which", "payment", "provider", "did", "we", "pick?");
    assertTrue(a.isArray() && a.size() >= 1, a::toString);
    JsonNode first = a.get(0);
    for (String f : new String[] {"id", "text", "class", "tags", "score"}) {
      assertTrue(first.has(f), f + " in " + first);
    }
    assertTrue(first.get("text").textValue().startsWith("We chose Stripe"), a::toString);
    assertEquals("payments", first.get("tags").get(0).textValue());
    for (int i = 1; i < a.size(); i++) {
      assertTrue(a.get(i - 1).get("score").doubleValue() >= a.get(i).get("score").doubleValue(), "best first");
    }
    assertFalse(first.has("explain"));
    JsonNode e = json("recall", "payment provider", "--explain", "-k", "1").get(0).get("explain");
    assertTrue(e.has("fused") && e.has("vector_rank") && e.has("vector_score") && e.has("text_rank") && e.has("text_score") && e.has("recency") && e.has("importance"), e::toString);
  }

  @Test
  void filters_k_andTheTextForm() throws Exception {
    JsonNode a = json("recall", "allergy", "--class", "work", "-k", "5");
    for (JsonNode h : a) {
      assertEquals("work", h.get("class").textValue());
    }
    assertEquals(1, json("recall", "birthday", "--source", "claude").size());
    assertEquals(0, json("recall", "birthday", "--source", "claude", "--until", "2000-01-01").size());
    assertEquals(1, json("recall", "anything", "-k", "1").size());
    CliHarness.Result r = cli.ok("recall", "standup", "--explain");
    assertTrue(r.out().contains(" 1. ") && r.out().contains("Standup") && r.out().contains("fused"), r.out());
  }

  @Test
  void badInputIsAOneLineError_withExitCode2() {
    for (String[] args :
        new String[][] {
          {"recall", ""},
          {"recall", "x".repeat(100_000)},
          {"recall", "q", "-k", "0"},
          {"recall", "q", "-k", "-1"},
          {"recall", "q", "-k", "100000"},
          {"recall", "q", "--class", "nosuch"},
          {"recall", "q", "--since", "yesterday-ish"},
          {"recall"},
        }) {
      CliHarness.Result r = cli.run(args);
      assertEquals(2, r.exit(), String.join(" ", args).substring(0, Math.min(40, String.join(" ", args).length())) + ": " + r);
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }

  @Test
  void rememberTheSameFactTwice_returnsTheFirst_markedDuplicate() throws Exception {
    JsonNode first = json("remember", "--class", "work", "The free-tier limit is 60 requests per minute.");
    JsonNode again = json("remember", "--class", "work", "the free tier limit is 60 requests per minute");
    assertTrue(again.get("duplicate").booleanValue());
    assertEquals(first.get("id"), again.get("id"));
    JsonNode other = json("remember", "--class", "work", "The free-tier limit is 100 requests per minute.");
    assertFalse(other.get("duplicate").booleanValue());
    JsonNode forced = json("remember", "--class", "work", "--allow-duplicate", "The free-tier limit is 60 requests per minute.");
    assertFalse(forced.get("duplicate").booleanValue());
    assertEquals(7, json("status").get("count").intValue());
    assertTrue(cli.ok("remember", "--class", "work", "the free-tier limit is 60 requests per minute").out().startsWith("already remembered as "));
  }

  @Test
  void aDamagedIndexIsRebuilt_withAWarningOnStderr() throws Exception {
    cli.ok("recall", "anything");
    Path file = tmp.resolve("home").resolve("index.sealed");
    byte[] b = Files.readAllBytes(file);
    b[b.length - 3] ^= 1;
    Files.write(file, b);
    CliHarness.Result r = cli.ok("recall", "penicillin");
    assertTrue(r.err().contains("warning") && r.err().contains("damaged"), r.err());
    assertTrue(r.out().contains("penicillin"), r.out());
    JsonNode n = json("reindex");
    assertEquals(4, n.get("indexed").intValue());
  }
}
