package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mnode devices` and `mnode peers` on a home without a running node: output, changes, errors. */
class DevicesAndPeersCommandTest {
  @TempDir Path tmp;

  @Test
  void devices_listsThisDevice_renames_andRefusesWhatCannotBe() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    JsonNode devices = CliHarness.oneJson(cli.ok("--json", "devices"));
    assertEquals(1, devices.size());
    JsonNode self = devices.get(0);
    assertTrue(self.path("self").asBoolean());
    assertEquals("first device", self.path("name").asText());
    assertTrue(self.path("id").asText().startsWith("12D3KooW"), self.toString());
    assertEquals(5, self.path("classes").size(), self.toString());
    String id = self.path("id").asText();

    JsonNode renamed = CliHarness.oneJson(cli.ok("--json", "devices", "rename", id.substring(0, 12), "laptop"));
    assertEquals("laptop", renamed.path("name").asText());
    assertTrue(cli.ok("devices").out().contains("laptop"));

    CliHarness.assertFailed(cli.run("devices", "revoke", "laptop"), Mnode.EXIT_INVALID, "cannot revoke itself");
    CliHarness.assertFailed(cli.run("devices", "ungrant", "laptop", "work"), Mnode.EXIT_INVALID, "cannot take classes from itself");
    CliHarness.assertFailed(cli.run("devices", "grant", "phone", "work"), Mnode.EXIT_NOT_FOUND, "no device \"phone\"");
    CliHarness.assertFailed(cli.run("devices", "grant", "laptop", "nosuch"), Mnode.EXIT_INVALID, "unknown class nosuch");
  }

  @Test
  void peers_addAndRemoveStaticAddresses_andRefuseBadOnes() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String addr = "/ip4/192.0.2.7/tcp/4737/p2p/12D3KooWM2dcSjib2JCvHy91296vh89RY8qBsTEUcDYQexzXJPon";
    JsonNode added = CliHarness.oneJson(cli.ok("--json", "peers", "add", addr));
    assertTrue(added.path("added").asBoolean());
    assertFalse(CliHarness.oneJson(cli.ok("--json", "peers", "add", addr)).path("added").asBoolean());
    JsonNode list = CliHarness.oneJson(cli.ok("--json", "peers"));
    assertEquals(addr, list.path("static").path(0).asText());
    assertEquals(0, list.path("peers").size(), "no node runs: nobody is synced with");
    assertTrue(Files.readString(cli.home.resolve("peers.json")).contains(addr));
    CliHarness.assertFailed(cli.run("peers", "add", "/ip4/192.0.2.7/tcp/4737"), Mnode.EXIT_INVALID, "a peer address is");
    CliHarness.assertFailed(cli.run("peers", "add", "not an address"), Mnode.EXIT_INVALID, "not a multiaddr");
    assertTrue(CliHarness.oneJson(cli.ok("--json", "peers", "remove", addr)).path("removed").asBoolean());
    assertEquals(0, CliHarness.oneJson(cli.ok("--json", "peers")).path("static").size());
  }
}
