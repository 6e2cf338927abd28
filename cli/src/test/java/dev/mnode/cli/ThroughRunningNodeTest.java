package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a real {@code mnode serve} process holds the store, the CLI's commands go through its API
 * and print what they print without it.
 */
class ThroughRunningNodeTest {
  @TempDir Path tmp;

  @Test
  void commands_goThroughTheRunningNode_withTheSameOutput() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String a = cli.remember("We chose Stripe over Adyen for payments", "--class", "work", "--tag", "payments", "--meta", "k=v");
    String b = cli.remember("My dentist appointment is on Tuesday", "--class", "health", "--importance", "0.8");
    // What the commands print with the store opened directly.
    String getLocal = cli.ok("get", a, "--json").out();
    String getTextLocal = cli.ok("get", b).out();
    String listLocal = cli.ok("list", "--json").out();
    String listTextLocal = cli.ok("list", "--class", "work").out();
    String classesLocal = cli.ok("classes", "--json").out();
    String classesTextLocal = cli.ok("classes").out();
    JsonNode statusLocal = CliHarness.oneJson(cli.ok("status", "--json"));

    String c;
    String listThroughNode;
    try (NodeProcess node = new NodeProcess(cli.home, tmp)) {
      assertEquals(getLocal, cli.ok("get", a, "--json").out());
      assertEquals(getTextLocal, cli.ok("get", b).out());
      assertEquals(listLocal, cli.ok("list", "--json").out());
      assertEquals(listTextLocal, cli.ok("list", "--class", "work").out());
      assertEquals(classesLocal, cli.ok("classes", "--json").out());
      assertEquals(classesTextLocal, cli.ok("classes").out());
      JsonNode status = CliHarness.oneJson(cli.ok("status", "--json"));
      for (String f : List.of("home", "vault", "device", "schema", "created", "count", "classes", "passphrase")) {
        assertEquals(statusLocal.get(f), status.get(f), f);
      }

      // Writes go through the node too: it holds the store.
      c = cli.remember("The office wifi password is on the fridge", "--class", "work", "--pin");
      JsonNode dup = CliHarness.oneJson(cli.ok("remember", "The office wifi password is on the fridge", "--class", "work", "--json"));
      assertTrue(dup.path("duplicate").asBoolean());
      assertEquals(c, dup.path("id").asText());
      JsonNode auto = CliHarness.oneJson(cli.ok("remember", "Blood test on Monday, fasting from 8 p.m.", "--json"));
      assertEquals("health", auto.path("class").asText(), "the node proposed the class");
      assertEquals("auto", auto.path("class_source").asText());
      assertTrue(auto.path("confidence").asDouble() >= 0.5, auto::toString);
      cli.ok("forget", auto.path("id").asText()); // the rest of the test counts health memories
      JsonNode updated = CliHarness.oneJson(cli.ok("update", a, "--tag", "psp", "--meta", "k=", "--json"));
      assertEquals("psp", updated.path("tags").get(0).asText());
      assertEquals(0, updated.path("metadata").size());
      JsonNode hits = CliHarness.oneJson(cli.ok("recall", "where is the wifi password?", "-k", "2", "--explain", "--json"));
      assertEquals(c, hits.get(0).path("id").asText());
      assertTrue(hits.get(0).has("explain"));
      assertEquals(2, CliHarness.oneJson(cli.ok("list", "--class", "work", "--json")).size());
      cli.ok("forget", b);

      // The same errors, with the same exit codes.
      CliHarness.assertFailed(cli.run("get", b), Mnode.EXIT_NOT_FOUND, "no memory with id " + b);
      CliHarness.assertFailed(cli.run("get", "not-an-id"), Mnode.EXIT_INVALID, "");
      CliHarness.assertFailed(cli.run("remember", "x", "--class", "legal"), Mnode.EXIT_INVALID, "unknown class");
      // What needs the store itself says so.
      CliHarness.assertFailed(cli.run("reindex"), Mnode.EXIT_FAILURE, "stop it to reindex");
      listThroughNode = cli.ok("list", "--json").out();
      assertEquals(143, node.stop(), node::err);
    }
    // Afterwards the CLI opens the store again and sees everything the node wrote.
    assertEquals(listThroughNode, cli.ok("list", "--json").out());
    List<String> ids = new ArrayList<>();
    CliHarness.oneJson(cli.ok("list", "--json")).forEach(m -> ids.add(m.path("id").asText()));
    assertEquals(List.of(c, a), ids);
  }

  @Test
  void aStaleRunFile_isIgnored() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String id = cli.remember("still here");
    // A process that has ended.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(cli.home.resolve("node.json"), "{\"version\":1,\"pid\":" + gone.pid() + ",\"address\":\"127.0.0.1\",\"port\":9}");
    cli.ok("get", id);
    // A live process (this one) on a port where nothing answers.
    Files.writeString(cli.home.resolve("node.json"), "{\"version\":1,\"pid\":" + ProcessHandle.current().pid() + ",\"address\":\"127.0.0.1\",\"port\":9}");
    Files.writeString(cli.home.resolve("owner.token"), "mnode_x\n");
    cli.ok("get", id);
    Files.writeString(cli.home.resolve("node.json"), "not json");
    cli.ok("get", id);
  }
}
