package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mnode compact on a real home: the dry run changes nothing, the run archives, --archived brings them back. */
class CompactCommandTest {
  @TempDir Path tmp;

  private static List<String> ids(JsonNode memories) {
    List<String> out = new ArrayList<>();
    memories.forEach(m -> out.add(m.get("id").textValue()));
    return out;
  }

  @Test
  void dryRunShowsThePlan_runArchives_andArchivedMemoriesLeaveListAndRecallUnlessAsked() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String old = "019400aa-0000-7000-8000-000000000001";
    String oldImportant = "019400aa-0000-7000-8000-000000000002";
    Path lines = tmp.resolve("old.jsonl");
    Files.writeString(lines,
        "{\"id\":\"" + old + "\",\"text\":\"The office wifi password rotates every quarter.\",\"class\":\"work\","
            + "\"importance\":0.1,\"created\":\"2025-01-01T00:00:00Z\",\"updated\":\"2025-01-01T00:00:00Z\"}\n"
            + "{\"id\":\"" + oldImportant + "\",\"text\":\"I am allergic to penicillin.\",\"class\":\"health\","
            + "\"importance\":0.9,\"created\":\"2025-01-01T00:00:00Z\",\"updated\":\"2025-01-01T00:00:00Z\"}\n",
        StandardCharsets.UTF_8);
    cli.ok("import", lines.toString());
    String young = cli.remember("The team lunch is on Thursdays.", "--class", "work", "--importance", "0.1");

    JsonNode plan = oneJson(cli.ok("--json", "compact", "--dry-run"));
    assertTrue(plan.get("dry_run").booleanValue());
    assertEquals(1, plan.get("archive_count").intValue());
    assertEquals(old, plan.get("archive").get("work").get(0).textValue());
    assertTrue(plan.get("summarize").isNull());
    assertTrue(ids(oneJson(cli.ok("--json", "list"))).contains(old), "a dry run changes nothing");
    String text = cli.ok("compact", "--dry-run").out();
    assertTrue(text.contains("would archive 1 of 3 memories"), text);
    assertTrue(text.contains("nothing summarized: no summarize endpoint"), text);

    JsonNode done = oneJson(cli.ok("--json", "compact"));
    assertFalse(done.get("dry_run").booleanValue());
    assertEquals(1, done.get("archive_count").intValue());
    List<String> listed = ids(oneJson(cli.ok("--json", "list")));
    assertFalse(listed.contains(old));
    assertTrue(listed.containsAll(List.of(oldImportant, young)));
    assertTrue(ids(oneJson(cli.ok("--json", "list", "--archived"))).contains(old));
    List<String> recalled = new ArrayList<>();
    oneJson(cli.ok("--json", "recall", "office wifi password")).forEach(h -> recalled.add(h.get("id").textValue()));
    assertFalse(recalled.contains(old));
    JsonNode withArchived = oneJson(cli.ok("--json", "recall", "--archived", "-k", "1", "office wifi password"));
    assertEquals(old, withArchived.get(0).get("id").textValue());
    assertEquals("true", oneJson(cli.ok("--json", "get", old)).get("metadata").get("archived").textValue());
    assertEquals(0, oneJson(cli.ok("--json", "compact", "--dry-run")).get("archive_count").intValue());
  }

  @Test
  void afterAForget_compactSealsItsClassUnderANewKey_andSaysSo_thenHasNothingMoreToDo() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String gone = cli.remember("The locker code is 5521.", "--class", "personal");
    cli.remember("Water the ferns on Sundays.", "--class", "personal");
    cli.ok("devices"); // opens the vault's replica: both memories become sealed sync changes
    cli.ok("forget", gone);
    JsonNode done = oneJson(cli.ok("--json", "compact"));
    assertEquals(1, done.get("sealed").size(), done.toString());
    JsonNode sealed = done.get("sealed").get(0);
    assertEquals("personal", sealed.get("class").textValue());
    assertEquals(2, sealed.get("epoch").intValue());
    assertTrue(sealed.get("parts").intValue() >= 1 && sealed.get("dropped_bundles").intValue() >= 3, sealed.toString());
    assertEquals(1, sealed.get("retired_keys").intValue());
    assertEquals(0, oneJson(cli.ok("--json", "compact")).get("sealed").size(), "nothing forgotten since");
    assertEquals(0, oneJson(cli.ok("--json", "compact", "--dry-run")).get("sealed").size());
    assertEquals(List.of("Water the ferns on Sundays."), texts(oneJson(cli.ok("--json", "list"))));
    String text = cli.ok("compact").out();
    assertFalse(text.contains("gone for good"), text);
  }

  private static List<String> texts(JsonNode memories) {
    List<String> out = new ArrayList<>();
    memories.forEach(m -> out.add(m.get("text").textValue()));
    return out;
  }
}
