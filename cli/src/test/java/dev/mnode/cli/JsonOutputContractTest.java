package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command with --json prints exactly one JSON document on stdout, with the named fields. */
class JsonOutputContractTest {
  static final Set<String> MEMORY_FIELDS =
      Set.of("id", "text", "class", "tags", "importance", "source", "created", "updated", "pinned", "metadata", "links");

  @TempDir Path tmp;

  private CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(tmp.resolve("home"));
  }

  /** Runs a command that must succeed with --json, checks stderr stayed quiet, returns its document. */
  private JsonNode json(String... args) {
    List<String> all = new ArrayList<>(List.of("--json"));
    all.addAll(List.of(args));
    CliHarness.Result r = cli.ok(all.toArray(String[]::new));
    assertEquals("", r.err(), r::toString);
    return oneJson(r);
  }

  private static Set<String> fields(JsonNode o) {
    Set<String> names = new TreeSet<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void assertIsMemory(JsonNode m) {
    assertTrue(m.isObject(), m::toString);
    assertEquals(MEMORY_FIELDS, fields(m));
    assertTrue(m.get("id").isTextual());
    UUID.fromString(m.get("id").textValue());
    assertTrue(m.get("text").isTextual());
    assertTrue(m.get("class").isTextual());
    assertTrue(m.get("tags").isArray());
    assertTrue(m.get("importance").isNumber());
    assertTrue(m.get("source").isTextual());
    assertTrue(m.get("created").isTextual());
    assertTrue(m.get("updated").isTextual());
    assertTrue(m.get("pinned").isBoolean());
    assertTrue(m.get("metadata").isObject());
    assertTrue(m.get("links").isArray());
  }

  @Test
  void init_json_isOneObject_withHomeVaultSchema() {
    JsonNode o = json("init");
    assertEquals(cli.home.toAbsolutePath().toString(), o.get("home").textValue());
    assertTrue(o.get("vault").textValue().matches("[0-9a-f]+"), o::toString);
    assertEquals(2, o.get("schema").intValue());
    assertFalse(o.get("passphrase").booleanValue());
  }

  @Test
  void remember_json_hasId_andIsTheStoredMemory() {
    cli.init();
    JsonNode o = json("remember", "--class", "work", "We", "chose", "Stripe");
    assertFalse(o.get("duplicate").booleanValue());
    assertTrue(o.get("redactions").isArray() && o.get("redactions").isEmpty(), o::toString);
    assertEquals("user", o.get("class_source").textValue(), "the class was named");
    assertEquals(1.0, o.get("confidence").doubleValue());
    assertFalse(o.get("review").booleanValue());
    for (String f : List.of("duplicate", "redactions", "class_source", "confidence", "review")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) o).remove(f);
    }
    assertIsMemory(o);
    assertEquals("We chose Stripe", o.get("text").textValue());
    assertEquals("work", o.get("class").textValue());
    assertEquals(0.5, o.get("importance").doubleValue());
    assertEquals("cli", o.get("source").textValue());
    assertEquals(o, json("get", o.get("id").textValue()));
  }

  @Test
  void get_json_isTheMemoryObject_withEveryContractField() {
    cli.init();
    String target = cli.remember("target");
    JsonNode m =
        json(
            "get",
            cli.remember(
                "Grüße 日本語 \"quoted\"",
                "--class", "health", "--tag", "a", "--tag", "b", "--importance", "0.123456789",
                "--source", "claude", "--pin", "--meta", "k=v", "--meta", "project=atlas", "--link", target));
    assertIsMemory(m);
    assertEquals("Grüße 日本語 \"quoted\"", m.get("text").textValue());
    assertEquals("health", m.get("class").textValue());
    assertEquals(List.of("a", "b"), texts(m.get("tags")));
    assertEquals(0.123456789, m.get("importance").doubleValue());
    assertEquals("claude", m.get("source").textValue());
    assertTrue(m.get("pinned").booleanValue());
    assertEquals("v", m.get("metadata").get("k").textValue());
    assertEquals("atlas", m.get("metadata").get("project").textValue());
    assertEquals(List.of(target), texts(m.get("links")));
    assertEquals(m.get("created"), m.get("updated"));
  }

  @Test
  void list_json_isAnArrayOfMemories_newestFirst() {
    cli.init();
    String a = cli.remember("first");
    String b = cli.remember("second", "--class", "work");
    JsonNode all = json("list");
    assertTrue(all.isArray());
    assertEquals(2, all.size());
    assertEquals(b, all.get(0).get("id").textValue());
    assertEquals(a, all.get(1).get("id").textValue());
    all.forEach(JsonOutputContractTest::assertIsMemory);
    JsonNode work = json("list", "--class", "work");
    assertEquals(1, work.size());
    assertEquals(b, work.get(0).get("id").textValue());
  }

  @Test
  void list_json_noMatch_isEmptyArray_andStderrQuiet() {
    cli.init();
    JsonNode none = json("list", "--tag", "nothing");
    assertTrue(none.isArray());
    assertEquals(0, none.size());
  }

  @Test
  void update_json_isTheUpdatedMemory() {
    cli.init();
    String id = cli.remember("old", "--class", "other", "--tag", "x", "--meta", "drop=1", "--meta", "keep=2");
    JsonNode m = json("update", id, "--text", "new", "--tag", "y", "--tag", "z", "--meta", "drop=", "--no-pin");
    assertIsMemory(m);
    assertEquals(id, m.get("id").textValue());
    assertEquals("new", m.get("text").textValue());
    assertEquals(List.of("y", "z"), texts(m.get("tags")));
    assertEquals(Set.of("keep"), fields(m.get("metadata")));
    assertNotEquals(m.get("created"), m.get("updated"));
    assertEquals(m, json("get", id));
  }

  @Test
  void forget_json_namesTheId() {
    cli.init();
    String id = cli.remember("x");
    JsonNode o = json("forget", id);
    assertEquals(id, o.get("id").textValue());
    assertTrue(o.get("forgotten").booleanValue());
    assertEquals(0, json("list").size());
  }

  @Test
  void import_json_isTheSummary() throws Exception {
    cli.init();
    Path file = tmp.resolve("in.jsonl");
    String id = "01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b";
    Files.writeString(
        file, "{\"id\":\"" + id + "\",\"text\":\"a\"}\n{\"id\":\"" + id + "\",\"text\":\"b\"}\n{\"text\":\"c\"}\n");
    JsonNode s = json("import", file.toString());
    assertEquals(2, s.get("imported").longValue());
    assertEquals(1, s.get("skipped").longValue());
    assertEquals(1, s.get("skipped_reasons").get("id repeated in the file").longValue());
    assertTrue(s.get("seconds").isNumber());
    CliHarness.Result again =
        cli.runWithStdin(Files.readAllBytes(file), "--json", "import", "-");
    assertEquals(0, again.exit(), again::toString);
    JsonNode t = oneJson(again);
    assertEquals(0, t.get("imported").longValue(), "the line without an id states a fact already stored");
    assertEquals(3, t.get("skipped").longValue());
    assertEquals(1, t.get("skipped_reasons").get("id already in the store").longValue());
    assertEquals(1, t.get("skipped_reasons").get("id repeated in the file").longValue());
    assertEquals(1, t.get("skipped_reasons").get("same fact already stored").longValue());
    JsonNode u = json("import", "--allow-duplicate", file.toString());
    assertEquals(1, u.get("imported").longValue(), "allowed: the line without an id gets a new one");
  }

  @Test
  void export_json_toStdout_isAnArray_toFile_isAnObject() throws Exception {
    cli.init();
    cli.remember("one");
    cli.remember("two");
    JsonNode a = json("export");
    assertTrue(a.isArray());
    assertEquals(2, a.size());
    a.forEach(JsonOutputContractTest::assertIsMemory);
    Path file = tmp.resolve("out.jsonl");
    JsonNode o = json("export", file.toString());
    assertEquals(2, o.get("exported").longValue());
    assertEquals(file.toAbsolutePath().toString(), o.get("file").textValue());
    assertEquals(2, Files.readAllLines(file, StandardCharsets.UTF_8).size());
  }

  @Test
  void classes_json_isAnArrayOfNamesAndCounts_andAddIsAnObject() {
    cli.init();
    cli.remember("w", "--class", "work");
    JsonNode c = json("classes");
    assertTrue(c.isArray());
    List<String> names = new ArrayList<>();
    c.forEach(e -> names.add(e.get("name").textValue()));
    assertEquals(List.of("financial", "health", "other", "personal", "work"), names);
    assertEquals(1, c.get(4).get("count").longValue());
    assertEquals(0, c.get(0).get("count").longValue());
    JsonNode added = json("classes", "add", "legal");
    assertEquals("legal", added.get("name").textValue());
    assertTrue(added.get("added").booleanValue());
    assertFalse(json("classes", "add", "legal").get("added").booleanValue());
  }

  @Test
  void status_json_hasCount_classesWithCounts_andSchema() {
    cli.init();
    cli.remember("a", "--class", "work");
    cli.remember("b", "--class", "work");
    cli.remember("c", "--class", "other");
    JsonNode s = json("status");
    assertEquals(3, s.get("count").longValue());
    JsonNode classes = s.get("classes");
    assertTrue(classes.isObject());
    assertEquals(2, classes.get("work").longValue());
    assertEquals(1, classes.get("other").longValue());
    assertEquals(0, classes.get("health").longValue());
    assertEquals(Set.of("financial", "health", "other", "personal", "work"), fields(classes));
    assertEquals(2, s.get("schema").intValue());
    assertTrue(s.get("digest").textValue().matches("[0-9a-f]{64}"), s::toString);
    assertEquals(fields(classes), fields(s.get("digests")));
    s.get("digests").forEach(d -> assertTrue(d.textValue().matches("[0-9a-f]{64}"), s::toString));
    assertNotEquals(s.get("digests").get("work"), s.get("digests").get("health"));
  }

  @Test
  void demo_json_isOneObject_withItsSteps_andLeavesNoHomeBehind() {
    JsonNode o = json("demo");
    assertTrue(o.get("steps").isArray());
    assertTrue(o.get("steps").size() >= 8, o::toString);
    o.get("steps").forEach(s -> assertTrue(s.get("step").isTextual() && s.get("result").isTextual()));
    assertTrue(o.get("status").get("count").isNumber());
    assertFalse(o.get("kept").booleanValue());
    assertFalse(Files.exists(Path.of(o.get("home").textValue())));
    assertFalse(Files.exists(cli.home), "demo does not touch --home");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.textValue()));
    return out;
  }
}
