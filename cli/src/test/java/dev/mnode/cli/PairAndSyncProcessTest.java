package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices of one vault as real processes: {@code mnode serve} nodes, each with its own home, on
 * 127.0.0.1. They pair with the code, write on every side while some are stopped or killed, and
 * converge to equal digests for each class they share; a device holds only its classes; a revoked
 * device gets nothing written afterwards.
 */
class PairAndSyncProcessTest {
  @TempDir Path tmp;

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  static JsonNode status(CliHarness cli) {
    return CliHarness.oneJson(cli.ok("--json", "status"));
  }

  static String digest(CliHarness cli, String c) {
    return status(cli).path("digests").path(c).asText();
  }

  static boolean has(CliHarness cli, String id) {
    return cli.run("get", id).exit() == 0;
  }

  /** Runs `mnode pair` on the member (its node running) and `mnode pair --join` on a new home. */
  static JsonNode pair(CliHarness member, NodeProcess memberNode, CliHarness joiner, String name, String classes, Path scratch)
      throws Exception {
    try (MnodeChild offer = new MnodeChild(scratch, "pair-" + name,
        List.of("--home", member.home.toString(), "--json", "pair", "--classes", classes, "--ttl", "2m"))) {
      String first = offer.nextLine();
      assertNotNull(first, () -> "mnode pair printed nothing: " + offer.err());
      JsonNode ticket = CliHarness.JSON.readTree(first);
      String code = ticket.path("code").asText();
      assertTrue(code.matches("\\d{1,3}-[a-z]+-[a-z]+"), first);
      assertTrue(ticket.path("addrs").isArray() && ticket.path("addrs").size() > 0, first);
      JsonNode joined = CliHarness.oneJson(joiner.ok(
          "--json", "pair", "--join", code, "--addr", memberNode.p2p.get(0), "--name", name));
      String second = offer.nextLine();
      assertNotNull(second, () -> "mnode pair printed no result: " + offer.err());
      JsonNode result = CliHarness.JSON.readTree(second);
      assertEquals("paired", result.path("status").asText(), second);
      assertEquals(joined.path("device").asText(), result.path("device").asText());
      assertEquals(0, offer.waitFor(), offer::err);
      return joined;
    }
  }

  @Test
  void twoDevicesPairWithTheCode_writeWhileApart_andConverge() throws Exception {
    CliHarness alice = new CliHarness(tmp.resolve("alice"));
    alice.init();
    String w1 = alice.remember("The release train leaves on Tuesdays", "--class", "work");
    String h1 = alice.remember("Allergic to penicillin", "--class", "health");
    CliHarness bob = new CliHarness(tmp.resolve("bob"));
    try (NodeProcess a = new NodeProcess("serve-a", alice.home, tmp)) {
      JsonNode joined = pair(alice, a, bob, "bob", "work", tmp);
      assertEquals(status(alice).path("vault").asText(), joined.path("vault").asText());
      assertEquals(List.of("work"), texts(joined.path("classes")));
      // The join fetched alice's work memories, and nothing of health.
      assertTrue(has(bob, w1), "bob fetched the work memory when joining");
      assertFalse(has(bob, h1), "health is not bob's");
      assertEquals(digest(alice, "work"), digest(bob, "work"));

      JsonNode devices = CliHarness.oneJson(alice.ok("--json", "devices"));
      assertEquals(2, devices.size(), devices.toString());
      assertEquals("bob", devices.path(1).path("name").asText());

      String w2;
      String b1;
      try (NodeProcess b = new NodeProcess("serve-b", bob.home, tmp)) {
        w2 = alice.remember("Code review needs two approvals", "--class", "work");
        await("alice's new memory reaches bob", () -> has(bob, w2));
        b1 = bob.remember("Bob's laptop runs the staging deploys", "--class", "work");
        await("bob's memory reaches alice", () -> has(alice, b1));
        JsonNode peers = status(alice).path("peers");
        assertEquals(1, peers.size(), peers.toString());
        assertTrue(peers.path(0).path("online").asBoolean(), peers.toString());
        assertFalse(peers.path(0).path("last_sync").isNull(), peers.toString());
        assertEquals(143, b.stop(), b::err); // SIGTERM: the store closed, then the JVM ends as signalled
      }
      // Bob is off: both sides write.
      alice.ok("update", w2, "--text", "Code review needs two approvals, one from the owning team");
      alice.ok("forget", w1);
      String w3 = alice.remember("Deploys freeze on Fridays", "--class", "work");
      String b2 = bob.remember("Bob moved the staging box to rack 4", "--class", "work");
      bob.ok("update", b1, "--tag", "staging");
      try (NodeProcess b = new NodeProcess("serve-b2", bob.home, tmp)) {
        await("equal work digests after bob comes back", () -> digest(alice, "work").equals(digest(bob, "work")));
        assertTrue(has(alice, b2) && has(bob, w3));
        assertFalse(has(bob, w1), "alice's forget reached bob");
        assertTrue(bob.ok("get", w2).out().contains("one from the owning team"));
        // Kill -9 bob in the middle of a burst of writes, restart it: nothing acknowledged is lost.
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          burst.add(alice.remember("burst note " + i + " about the quarterly plan", "--class", "work"));
        }
        b.kill();
      }
      try (NodeProcess b = new NodeProcess("serve-b3", bob.home, tmp)) {
        await("bob converges after a kill -9", () -> digest(alice, "work").equals(digest(bob, "work")));
        assertFalse(status(bob).path("classes").has("health") && status(bob).path("classes").path("health").asLong() > 0);
      }
    }
  }

  /**
   * After pairing, the two nodes are never up together: their serve loops sync through a folder
   * relay, a forget on one is made final by its schedule (new key, old segments deleted), and the
   * other, started later, drops the memory and its own superseded segments. Each node's status
   * reports its relay.
   */
  @Test
  void nodesNeverUpTogether_syncThroughARelay_andTheirSchedulesMakeAForgetFinal() throws Exception {
    CliHarness alice = new CliHarness(tmp.resolve("alice"));
    alice.init();
    CliHarness bob = new CliHarness(tmp.resolve("bob"));
    try (NodeProcess a = new NodeProcess("serve-a", alice.home, tmp)) {
      pair(alice, a, bob, "bob", "personal,work", tmp);
      assertEquals(143, a.stop(), a::err);
    }
    String relay = java.nio.file.Files.createDirectory(tmp.resolve("relay")).toUri().toString();
    alice.ok("relay", "add", relay);
    bob.ok("relay", "add", relay);
    String[] loop = {"--relay-interval", "1", "--relay-after-write", "0", "--compact-interval", "1"};
    String secret = alice.remember("The spare key hides under the blue planter", "--class", "personal");
    String kept = alice.remember("Bins go out on Thursday night", "--class", "personal");
    try (NodeProcess a = new NodeProcess("serve-a-relay", alice.home, tmp, loop)) {
      await("alice's node uploads to the relay", () -> relayStatus(alice).path("uploaded_blobs").asInt() > 0);
      assertTrue(relayStatus(alice).path("last_error").isNull(), relayStatus(alice)::toString);
      assertEquals(143, a.stop(), a::err);
    }
    try (NodeProcess b = new NodeProcess("serve-b-relay", bob.home, tmp, loop)) {
      await("bob's node gets alice's memories from the relay", () -> has(bob, secret) && has(bob, kept));
      bob.ok("forget", secret);
      await("bob's schedule makes the forget final and replaces its relay segments",
          () -> relayStatus(bob).path("deleted_blobs").asInt() > 0);
      assertEquals(143, b.stop(), b::err);
    }
    try (NodeProcess a = new NodeProcess("serve-a-relay2", alice.home, tmp, loop)) {
      await("alice's node applies bob's snapshot and replaces its own segments",
          () -> !has(alice, secret) && relayStatus(alice).path("deleted_blobs").asInt() > 0);
      assertTrue(has(alice, kept));
      assertEquals(143, a.stop(), a::err);
    }
    assertEquals(digest(alice, "personal"), digest(bob, "personal"));
    assertTrue(status(alice).path("relays").isEmpty(), "without a node, status knows no relay round");
  }

  /** The running node's status of its one relay. */
  static JsonNode relayStatus(CliHarness cli) {
    JsonNode relays = status(cli).path("relays");
    assertEquals(1, relays.size(), relays.toString());
    return relays.get(0);
  }

  @Test
  void threeDevices_memoriesTravelThroughTheMiddleOne_andARevokedDeviceGetsNothingNew() throws Exception {
    CliHarness alice = new CliHarness(tmp.resolve("alice"));
    alice.init();
    CliHarness bob = new CliHarness(tmp.resolve("bob"));
    CliHarness carol = new CliHarness(tmp.resolve("carol"));
    try (NodeProcess a = new NodeProcess("serve-a", alice.home, tmp)) {
      pair(alice, a, bob, "bob", "work,personal", tmp);
      try (NodeProcess b = new NodeProcess("serve-b", bob.home, tmp)) {
        // Carol pairs with bob and knows only bob's address.
        pair(bob, b, carol, "carol", "work", tmp);
        try (NodeProcess c = new NodeProcess("serve-c", carol.home, tmp)) {
          String w = alice.remember("The office moves to the fifth floor", "--class", "work");
          String p = alice.remember("Call mum on Sundays", "--class", "personal");
          await("alice's work memory reaches carol through bob", () -> has(carol, w));
          await("bob holds the personal memory", () -> has(bob, p));
          assertFalse(has(carol, p), "personal is not carol's");
          String cw = carol.remember("Carol books the planning room", "--class", "work");
          await("carol's memory reaches alice through bob", () -> has(alice, cw));
          await("equal work digests on all three",
              () -> digest(alice, "work").equals(digest(bob, "work")) && digest(bob, "work").equals(digest(carol, "work")));

          // Alice revokes carol: what is written afterwards never reaches her.
          String carolId = CliHarness.oneJson(carol.ok("--json", "status")).path("device").asText();
          JsonNode devices = CliHarness.oneJson(alice.ok("--json", "devices"));
          String carolPeer = null;
          for (JsonNode d : devices) {
            if (d.path("name").asText().equals("carol")) {
              carolPeer = d.path("id").asText();
            }
          }
          assertNotNull(carolPeer, devices.toString());
          JsonNode revoked = CliHarness.oneJson(alice.ok("--json", "devices", "revoke", "carol"));
          assertTrue(revoked.path("revoked").asBoolean(), revoked.toString());
          await("bob learns of the revocation", () -> {
            for (JsonNode d : CliHarness.oneJson(bob.ok("--json", "devices"))) {
              if (d.path("name").asText().equals("carol")) {
                return d.path("revoked").asBoolean();
              }
            }
            return false;
          });
          String after = alice.remember("The new door code is in the work vault", "--class", "work");
          await("bob gets the new memory", () -> has(bob, after));
          String bobAfter = bob.remember("Bob's note after carol left", "--class", "work");
          await("alice gets bob's new memory", () -> has(alice, bobAfter));
          Thread.sleep(3000); // several sync rounds: carol must still have nothing new
          assertFalse(has(carol, after), "a revoked device got a memory written after its revocation");
          assertFalse(has(carol, bobAfter), "a revoked device got a memory written after its revocation");
          assertFalse(carolId.isEmpty());
        }
      }
    }
  }

  @Test
  void aHomeWhoseNodeRuns_joinsThroughIt_unlessItHoldsMemoriesOfItsOwn() throws Exception {
    CliHarness alice = new CliHarness(tmp.resolve("alice"));
    alice.init();
    String w1 = alice.remember("Invoices go out on the first Monday", "--class", "work");
    CliHarness bob = new CliHarness(tmp.resolve("bob"));
    bob.init();
    CliHarness carol = new CliHarness(tmp.resolve("carol"));
    carol.init();
    String own = carol.remember("Carol's own note", "--class", "personal");
    try (NodeProcess a = new NodeProcess("serve-a", alice.home, tmp);
        NodeProcess b = new NodeProcess("serve-b", bob.home, tmp);
        NodeProcess c = new NodeProcess("serve-c", carol.home, tmp)) {
      // A home with memories of its own is refused before any pairing: the code stays usable.
      try (MnodeChild offer = new MnodeChild(tmp, "pair-refused",
          List.of("--home", alice.home.toString(), "--json", "pair", "--classes", "work", "--ttl", "2m"))) {
        String code = CliHarness.JSON.readTree(offer.nextLine()).path("code").asText();
        CliHarness.Result r = carol.run("pair", "--join", code, "--addr", a.p2p.get(0));
        CliHarness.assertFailed(r, Mnode.EXIT_FAILURE, "already holds 1 memories");
        assertTrue(has(carol, own), "nothing of carol's was lost");
        // The same code still pairs bob, whose node runs in a home that holds nothing yet.
        JsonNode joined = CliHarness.oneJson(bob.ok("--json", "pair", "--join", code, "--addr", a.p2p.get(0), "--name", "bob"));
        assertEquals(status(alice).path("vault").asText(), joined.path("vault").asText());
        JsonNode result = CliHarness.JSON.readTree(offer.nextLine());
        assertEquals("paired", result.path("status").asText(), result.toString());
      }
      await("bob's node fetches alice's memory", () -> has(bob, w1));
      String w2 = alice.remember("The auditors come in March", "--class", "work");
      await("a new memory reaches bob", () -> has(bob, w2));
      String b1 = bob.remember("Bob files the March expenses", "--class", "work");
      await("bob's memory reaches alice", () -> has(alice, b1));
      assertEquals(status(alice).path("vault").asText(), status(bob).path("vault").asText());
      assertEquals(digest(alice, "work"), digest(bob, "work"));
    }
  }

  static List<String> texts(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }
}
