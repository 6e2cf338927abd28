package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** remember, get, update, forget and list as a person types them. */
class MemoryCommandsTest {
  @TempDir Path tmp;

  private CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(tmp.resolve("home"));
  }

  private JsonNode get(String id) {
    return oneJson(cli.ok("--json", "get", id));
  }

  private List<String> listTexts(String... options) {
    List<String> args = new ArrayList<>(List.of("--json", "list"));
    args.addAll(List.of(options));
    List<String> out = new ArrayList<>();
    oneJson(cli.ok(args.toArray(String[]::new))).forEach(m -> out.add(m.get("text").textValue()));
    return out;
  }

  @Test
  void init_thenRemember_printsTheNewId_andDefaultsApply() {
    CliHarness.Result init = cli.ok("init");
    assertTrue(init.out().startsWith("initialised mnode home " + cli.home.toAbsolutePath()), init::toString);
    CliHarness.Result r = cli.ok("remember", "plain", "words", "--class", "other");
    assertTrue(r.out().matches("remembered [0-9a-f-]{36} \\(other\\)\\n"), r::toString);
    String id = r.out().substring("remembered ".length(), "remembered ".length() + 36);
    JsonNode m = get(id);
    assertEquals("plain words", m.get("text").textValue());
    assertEquals("other", m.get("class").textValue());
    assertEquals(0.5, m.get("importance").doubleValue());
    assertTrue(cli.ok("get", id).out().contains("plain words"));
  }

  @Test
  void remember_textFromStdin() {
    cli.init();
    CliHarness.Result r =
        cli.runWithStdin("from stdin, ünïcödé\n\n".getBytes(StandardCharsets.UTF_8), "--json", "remember", "-");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("from stdin, ünïcödé", oneJson(r).get("text").textValue());
  }

  @Test
  void update_tagsReplace_metaKeyEmptyRemovesKey_pinToggles() {
    cli.init();
    String id = cli.remember("x", "--tag", "a", "--tag", "b", "--meta", "keep=1", "--meta", "drop=2");
    cli.ok("update", id, "--tag", "c", "--meta", "drop=", "--meta", "add=3", "--pin");
    JsonNode m = get(id);
    assertEquals(1, m.get("tags").size());
    assertEquals("c", m.get("tags").get(0).textValue());
    assertEquals("1", m.get("metadata").get("keep").textValue());
    assertEquals("3", m.get("metadata").get("add").textValue());
    assertTrue(m.get("metadata").get("drop") == null, m::toString);
    assertTrue(m.get("pinned").booleanValue());
    cli.ok("update", id, "--no-pin");
    assertEquals(false, get(id).get("pinned").booleanValue());
    assertEquals("x", get(id).get("text").textValue());
  }

  @Test
  void update_textFromStdin() {
    cli.init();
    String id = cli.remember("old");
    CliHarness.Result r = cli.runWithStdin("new text\n".getBytes(StandardCharsets.UTF_8), "update", id, "--text", "-");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("updated " + id + "\n", r.out());
    assertEquals("new text", get(id).get("text").textValue());
  }

  @Test
  void forget_thenGet_exits3() {
    cli.init();
    String id = cli.remember("x");
    assertEquals("forgot " + id + "\n", cli.ok("forget", id).out());
    CliHarness.assertFailed(cli.run("get", id), 3, "no memory with id " + id);
  }

  @Test
  void list_filters_classesTagSourceLimit_newestFirst() {
    cli.init();
    cli.remember("w1", "--class", "work", "--tag", "a");
    cli.remember("p1", "--class", "personal", "--source", "claude");
    cli.remember("h1", "--class", "health", "--tag", "a");
    cli.remember("w2", "--class", "work", "--source", "claude");
    assertEquals(List.of("w2", "h1", "p1", "w1"), listTexts());
    assertEquals(List.of("w2", "w1"), listTexts("--class", "work"));
    assertEquals(List.of("w2", "p1", "w1"), listTexts("--class", "work", "--class", "personal"));
    assertEquals(List.of("h1", "w1"), listTexts("--tag", "a"));
    assertEquals(List.of("w2", "p1"), listTexts("--source", "claude"));
    assertEquals(List.of("w2", "h1"), listTexts("--limit", "2"));
    assertEquals(List.of("w2", "h1", "p1", "w1"), listTexts("--since", "2026-11-26", "--until", "2026-11-27"));
    assertEquals(List.of(), listTexts("--until", "2026-11-26"));
  }

  @Test
  void list_text_printsOneLinePerMemory_andSaysWhenNothingMatches() {
    cli.init();
    CliHarness.Result empty = cli.ok("list");
    assertEquals("", empty.out());
    assertEquals("no memories match\n", empty.err());
    String id = cli.remember("line one\nline two", "--class", "work", "--pin");
    CliHarness.Result r = cli.ok("list");
    assertEquals(1, r.out().lines().count(), r::toString);
    assertTrue(r.out().startsWith(id + "  work"), r::toString);
    assertTrue(r.out().contains("* line one line two"), r::toString);
  }

  @Test
  void status_text_showsCountsPerClass() {
    cli.init();
    cli.remember("a", "--class", "work");
    CliHarness.Result r = cli.ok("status");
    assertTrue(r.out().contains("\nmemories:     1\n"), r::toString);
    assertTrue(r.out().contains("\n  work:       1\n"), r::toString);
    assertTrue(r.out().contains("\n  financial:  0\n"), "labels and values align: " + r);
  }

  @Test
  void demo_text_walksThroughEveryStep_andRemovesItsHome() {
    CliHarness.Result r = cli.ok("demo");
    for (String step : List.of("init", "remember", "list", "get", "update", "forget", "export", "status")) {
      assertTrue(r.out().contains("mnode " + step), step + " missing: " + r);
    }
    assertTrue(r.out().contains("identical, field for field"), r::toString);
    assertTrue(r.out().contains("mnode recall") && r.out().contains("best match (offline, on-device embeddings + BM25): \"We chose Stripe"), r::toString);
    assertTrue(r.out().contains("returned the existing memory, stored nothing"), r::toString);
    assertTrue(r.out().contains("removed the throw-away home"), r::toString);
  }

  @Test
  void homeFromEnvironment_isUsed_whenNoFlag() {
    cli.env.put("MNODE_HOME", cli.home.toString());
    CliHarness.Result init = cli.runRaw(new byte[0], "init");
    assertEquals(0, init.exit(), init::toString);
    CliHarness.Result r = cli.runRaw(new byte[0], "--json", "status");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(cli.home.toAbsolutePath().toString(), oneJson(r).get("home").textValue());
  }
}
