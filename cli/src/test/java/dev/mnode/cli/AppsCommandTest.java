package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mnode apps add|list|revoke}: the token is shown once and only its hash is kept. */
class AppsCommandTest {
  @TempDir Path tmp;

  @Test
  void add_printsTheTokenOnce_andKeepsOnlyItsHash() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    JsonNode added = CliHarness.oneJson(cli.ok("apps", "add", "claude", "--classes", "work,personal", "--ops", "read,write", "--json"));
    String token = added.path("token").asText();
    assertTrue(token.startsWith("mnode_") && token.length() > 40, token);

    Path file = cli.home.resolve("apps.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String stored = Files.readString(file);
    assertFalse(stored.contains(token), "the token itself is never stored");
    assertFalse(stored.contains(token.substring(6, 30)), "nor any part of it");

    JsonNode list = CliHarness.oneJson(cli.ok("apps", "list", "--json"));
    assertEquals(1, list.size());
    assertEquals("claude", list.get(0).path("name").asText());
    assertEquals("personal", list.get(0).path("classes").get(0).asText());
    assertEquals("read", list.get(0).path("ops").get(0).asText());
    assertFalse(list.toString().contains(token));

    String text = cli.ok("apps", "add", "cursor", "--classes", "work").out().strip();
    assertTrue(text.startsWith("mnode_") && !text.equals(token), text);

    cli.ok("apps", "revoke", "claude");
    assertEquals(1, CliHarness.oneJson(cli.ok("apps", "list", "--json")).size());
  }

  @Test
  void badInput_isRefusedClearly() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    cli.ok("apps", "add", "claude", "--classes", "work");
    CliHarness.assertFailed(cli.run("apps", "add", "claude", "--classes", "work"), Mnode.EXIT_INVALID, "exists");
    CliHarness.assertFailed(cli.run("apps", "add", "x", "--classes", "work", "--ops", "delete"), Mnode.EXIT_INVALID, "unknown operation");
    CliHarness.assertFailed(cli.run("apps", "add", "Bad Name", "--classes", "work"), Mnode.EXIT_INVALID, "app name");
    CliHarness.assertFailed(cli.run("apps", "add", "owner", "--classes", "work"), Mnode.EXIT_INVALID, "reserved");
    CliHarness.assertFailed(cli.run("apps", "revoke", "nobody"), Mnode.EXIT_NOT_FOUND, "no app named nobody");
  }
}
