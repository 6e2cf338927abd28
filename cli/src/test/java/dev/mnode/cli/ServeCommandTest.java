package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mnode serve} as a real process: it answers, holds the store, and stops cleanly on SIGTERM. */
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void serve_answersWithTheOwnerToken_andSigtermReleasesEverything() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    String id = cli.remember("We chose Stripe over Adyen", "--class", "work");
    try (NodeProcess node = new NodeProcess(cli.home, tmp)) {
      Path run = cli.home.resolve("node.json");
      Path owner = cli.home.resolve("owner.token");
      assertTrue(Files.exists(run));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(owner)));
      assertEquals(node.port, CliHarness.JSON.readTree(Files.readString(run)).path("port").asInt());

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      String token = Files.readString(owner).strip();
      HttpResponse<String> health =
          http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      HttpResponse<String> got =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/v1/memories/" + id))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, got.statusCode(), got::body);
      JsonNode m = CliHarness.JSON.readTree(got.body());
      assertEquals("We chose Stripe over Adyen", m.path("text").asText());

      // The access is in the audit log, readable while the node runs.
      JsonNode audit = CliHarness.oneJson(cli.ok("audit", "--app", "owner", "--json"));
      assertEquals("get", audit.get(audit.size() - 1).path("op").asText(), audit::toString);
      assertEquals("work", audit.get(audit.size() - 1).path("classes").get(0).asText());

      int exit = node.stop();
      assertEquals(143, exit, node::err); // ended by SIGTERM, after its shutdown hook ran
      assertFalse(Files.exists(run), "the run file is removed on exit");
    }
    // The store was closed: this process can open it again.
    cli.ok("get", id);
  }

  @Test
  void badSettings_orATakenPort_failWithOneLine_andReleaseTheStore() throws Exception {
    CliHarness cli = new CliHarness(tmp.resolve("home"));
    cli.init();
    Files.writeString(cli.home.resolve("config.json"), "{\"server\": {\"prot\": 1}}");
    CliHarness.assertFailed(cli.run("serve", "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"), Mnode.EXIT_INVALID, "unknown setting \"server.prot\"");
    Files.delete(cli.home.resolve("config.json"));
    CliHarness.assertFailed(cli.run("serve", "--port", "70000"), Mnode.EXIT_INVALID, "--port must be 0..65535");
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliHarness.assertFailed(cli.run("serve", "--port", Integer.toString(taken.getLocalPort()), "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"), Mnode.EXIT_FAILURE, "cannot listen on 127.0.0.1:");
    }
    assertFalse(Files.exists(cli.home.resolve("node.json")));
    cli.ok("status");
  }
}
