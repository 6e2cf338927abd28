package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.assertFailed;
import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mnode relay add / list / sync / remove on a folder relay, and their errors. */
class RelayCommandTest {
  @TempDir Path tmp;

  private CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(tmp.resolve("home"));
    cli.init();
  }

  @Test
  void addListSyncRemove_onAFolderRelay() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("relay"));
    String uri = dir.toUri().toString();
    cli.remember("The cobalt-lighthouse offsite is in June", "--class", "work");
    JsonNode added = oneJson(cli.ok("--json", "relay", "add", uri));
    assertTrue(added.get("added").booleanValue());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("home/relays.json"))));
    assertEquals(uri + " was already a relay\n", cli.ok("relay", "add", uri).out());
    JsonNode listed = oneJson(cli.ok("--json", "relay", "list"));
    assertEquals(1, listed.get("relays").size());
    assertEquals(uri, listed.get("relays").get(0).get("uri").textValue());

    JsonNode first = oneJson(cli.ok("--json", "relay", "sync")).get("relays").get(0);
    assertEquals(1, first.get("uploaded_blobs").intValue(), first.toString());
    assertTrue(first.get("bundles_out").intValue() >= 1, first.toString());
    assertEquals(0, first.get("rejected").size());
    JsonNode second = oneJson(cli.ok("--json", "relay", "sync")).get("relays").get(0);
    assertEquals(0, second.get("uploaded_blobs").intValue(), "nothing new: " + second);
    assertEquals(1, second.get("listed").intValue());
    try (var files = Files.walk(dir)) {
      assertTrue(files.filter(Files::isRegularFile).allMatch(f -> !f.toString().contains("work")));
    }

    assertEquals("removed relay " + uri + "\n", cli.ok("relay", "remove", uri).out());
    assertEquals(0, oneJson(cli.ok("--json", "relay", "list")).get("relays").size());
    assertFailed(cli.run("relay", "sync"), 1, "no relays");
  }

  @Test
  void badUris_andMissingCredentials_failWithOneLine_andPrintNoSecret() {
    assertFailed(cli.run("relay", "add", "ftp://example.org/x"), 2, "a relay is file:/DIR");
    assertFailed(cli.run("relay", "add", "s3://bucket/p", "--endpoint", "ftp://x"), 2, "an endpoint is");
    assertEquals(0, oneJson(cli.ok("--json", "relay", "list")).get("relays").size(), "nothing added");
    cli.ok("relay", "add", "s3://mnode-bucket/p", "--endpoint", "http://127.0.0.1:1");
    assertFailed(cli.run("relay", "sync"), 1, "AWS_ACCESS_KEY_ID");
    cli.env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    cli.env.put("AWS_SECRET_ACCESS_KEY", "very-secret-value-never-printed");
    CliHarness.Result r = cli.run("relay", "sync");
    assertEquals(1, r.exit(), r.toString());
    assertFalse(r.err().contains("very-secret-value-never-printed") || r.out().contains("very-secret-value-never-printed"), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertFalse(cli.ok("relay", "list").out().contains("very-secret"));
  }
}
