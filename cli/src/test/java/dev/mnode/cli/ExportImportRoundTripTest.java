package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export writes an owner-only file; export then import into a fresh home round-trips exactly. */
class ExportImportRoundTripTest {
  @TempDir Path tmp;

  private CliHarness a;

  @BeforeEach
  void setUp() throws Exception {
    a = new CliHarness(tmp.resolve("a"));
    a.init();
    a.ok("classes", "add", "legal");
    String target = a.remember("target", "--class", "legal");
    a.remember(
        "Grüße 日本語 🧠 \"quoted\" back\\slash",
        "--class", "work", "--tag", "payments", "--tag", "décision", "--importance", "0.123456789",
        "--source", "claude", "--pin", "--meta", "project=atlas", "--meta", "empty=", "--link", target);
    Path in = tmp.resolve("seed.jsonl");
    Files.writeString(
        in,
        "{\"id\":\"3f0e5c6a-9b7d-4c1e-a2f3-0d4b5c6e7f80\",\"text\":\"nanos\",\"class\":\"health\","
            + "\"created\":\"2020-01-01T00:00:00.123456789Z\",\"updated\":\"2024-01-01T00:00:00.000000001Z\"}\n");
    a.ok("import", in.toString());
  }

  @Test
  void exportFile_isMode0600_andHoldsTheSameBytesAsStdout() throws Exception {
    Path file = tmp.resolve("out.jsonl");
    CliHarness.Result r = a.ok("export", file.toString());
    assertTrue(r.out().startsWith("exported 3 memories to " + file.toAbsolutePath()), r::toString);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(a.export(), Files.readAllBytes(file));
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
  }

  @Test
  void exportFile_overAnExistingWorldReadableFile_replacesItWithMode0600() throws Exception {
    Path file = tmp.resolve("old.jsonl");
    Files.writeString(file, "stale\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    a.ok("export", file.toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(a.export(), Files.readAllBytes(file));
  }

  @Test
  void exportFile_intoMissingDirectory_failsClearly_andWritesNothing() throws Exception {
    Path target = tmp.resolve("missing").resolve("out.jsonl");
    CliHarness.Result r = a.run("export", target.toString());
    CliHarness.assertFailed(r, 2, "cannot write " + target + ": no such file or directory");
    CliHarness.Result j = a.run("--json", "export", target.toString());
    assertEquals("invalid_input", oneJson(j).get("error").get("code").textValue());
    assertTrue(Files.notExists(target.getParent()));
  }

  @Test
  void exportFile_ontoADirectory_failsClearly_andLeavesNoTemporaryFile() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("adir"));
    CliHarness.Result r = a.run("export", dir.toString());
    CliHarness.assertFailed(r, 1, "cannot write " + dir);
    assertTrue(Files.isDirectory(dir));
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
  }

  @Test
  void exportThenImport_intoFreshHome_roundTripsExactly() throws Exception {
    Path file = tmp.resolve("all.jsonl");
    a.ok("export", file.toString());
    CliHarness b = new CliHarness(tmp.resolve("b"));
    b.init();
    b.ok("classes", "add", "legal");
    CliHarness.Result r = b.ok("--json", "import", file.toString());
    assertEquals(3, oneJson(r).get("imported").longValue());
    assertArrayEquals(Files.readAllBytes(file), b.export());
    assertEquals(oneJson(a.ok("--json", "list")), oneJson(b.ok("--json", "list")));
    JsonNode sa = oneJson(a.ok("--json", "status"));
    JsonNode sb = oneJson(b.ok("--json", "status"));
    assertEquals(sa.get("classes"), sb.get("classes"));
    // Same memories, two vaults: the state digests agree, per class and overall.
    assertEquals(sa.get("digests"), sb.get("digests"));
    assertEquals(sa.get("digest"), sb.get("digest"));
    String id = oneJson(b.ok("--json", "list")).get(0).get("id").textValue();
    b.ok("update", id, "--importance", "0.9");
    JsonNode changed = oneJson(b.ok("--json", "status"));
    assertNotEquals(sa.get("digest"), changed.get("digest"));
    String cls = oneJson(b.ok("--json", "get", id)).get("class").textValue();
    assertNotEquals(sa.get("digests").get(cls), changed.get("digests").get(cls));
    sa.get("digests").fields().forEachRemaining(e -> {
      if (!e.getKey().equals(cls)) {
        assertEquals(e.getValue(), changed.get("digests").get(e.getKey()), e.getKey());
      }
    });
  }

  @Test
  void exportStdout_pipedIntoImportStdin_roundTripsExactly() {
    byte[] exported = a.export();
    CliHarness b = new CliHarness(tmp.resolve("b"));
    b.init();
    b.ok("classes", "add", "legal");
    CliHarness.Result r = b.runWithStdin(exported, "import", "-");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("imported 3 memories, skipped 0"), r::toString);
    assertArrayEquals(exported, b.export());
  }

  @Test
  void import_intoHomeWithoutTheCustomClass_failsNamingTheLine_andImportsNothing() throws Exception {
    Path file = tmp.resolve("all.jsonl");
    a.ok("export", file.toString());
    List<String> lines = Files.readAllLines(file);
    int legalLine = 0;
    for (int i = 0; i < lines.size() && legalLine == 0; i++) {
      if (lines.get(i).contains("\"class\":\"legal\"")) {
        legalLine = i + 1;
      }
    }
    CliHarness b = new CliHarness(tmp.resolve("b"));
    b.init();
    byte[] empty = b.export();
    CliHarness.Result r = b.run("import", file.toString());
    CliHarness.assertFailed(r, 2, "line " + legalLine + ": unknown class \"legal\"");
    assertArrayEquals(empty, b.export());
  }

  @Test
  void importAgain_skipsEveryIdAlreadyPresent() throws Exception {
    Path file = tmp.resolve("all.jsonl");
    a.ok("export", file.toString());
    byte[] before = a.export();
    CliHarness.Result r = a.ok("import", file.toString());
    assertTrue(r.out().startsWith("imported 0 memories, skipped 3"), r::toString);
    assertTrue(r.out().contains("skipped 3: id already in the store"), r::toString);
    assertArrayEquals(before, a.export());
  }
}
