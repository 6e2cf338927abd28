package dev.mnode.cli;

import static dev.mnode.cli.CliHarness.assertFailed;
import static dev.mnode.cli.CliHarness.oneJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mnode init} prints the recovery phrase, {@code recovery show} prints it again, {@code
 * backup} and {@code restore} bring a deleted home back with the same digest and every memory, and
 * every refusal is one line that changes nothing.
 */
class BackupRestoreCommandTest {
  @TempDir Path tmp;
  private CliHarness a;
  private String phrase;

  @BeforeEach
  void setUp() throws Exception {
    a = new CliHarness(tmp.resolve("home"));
    JsonNode init = oneJson(a.ok("--json", "init"));
    phrase = init.get("recovery_phrase").textValue();
    assertEquals(24, phrase.split(" ").length);
    a.ok("classes", "add", "legal");
    StringBuilder lines = new StringBuilder();
    String[] classes = {"work", "personal", "health", "legal"};
    for (int i = 0; i < 300; i++) {
      lines.append(String.format(
          "{\"text\":\"fact %d about the okapi ledger\",\"class\":\"%s\",\"tags\":[\"t%d\",\"wombat\"],"
              + "\"importance\":0.%d,\"source\":\"claude\",\"pinned\":%b,\"metadata\":{\"n\":\"%d\"},"
              + "\"created\":\"2025-0%d-01T00:00:00.123456789Z\"}%n",
          i, classes[i % 4], i % 5, i % 10, i % 9 == 0, i, 1 + i % 9));
    }
    Path in = tmp.resolve("seed.jsonl");
    Files.writeString(in, lines);
    a.ok("import", in.toString());
    String target = a.remember("link target", "--class", "legal");
    String linked = a.remember("linked fact", "--class", "work", "--link", target, "--meta", "k=v", "--pin");
    a.ok("update", linked, "--text", "linked fact, edited", "--tag", "edited");
    a.ok("forget", target);
  }

  @Test
  void recoveryShow_printsThePhraseInitPrinted() {
    JsonNode shown = oneJson(a.ok("--json", "recovery", "show"));
    assertEquals(phrase, shown.get("recovery_phrase").textValue());
    assertFalse(shown.get("made_now").booleanValue());
    assertEquals(phrase, a.ok("recovery", "show").out().strip());
  }

  @Test
  void backupWipeRestore_sameDigestAndEveryMemory() throws Exception {
    JsonNode before = oneJson(a.ok("--json", "status"));
    byte[] export = a.export();
    Path file = tmp.resolve("vault.mnbk");
    JsonNode b = oneJson(a.ok("--json", "backup", file.toString()));
    assertEquals(301, b.get("memories").asLong());
    assertFalse(b.get("recovery_phrase_made").booleanValue());
    String clear = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    for (String s : new String[] {"okapi", "wombat", "legal", "claude", "linked fact"}) {
      assertFalse(clear.contains(s), s + " is in clear");
    }
    deleteTree(a.home);

    CliHarness.Result r = a.runWithStdin((phrase + "\n").getBytes(StandardCharsets.UTF_8), "--json", "restore", file.toString());
    assertEquals(0, r.exit(), r::toString);
    assertEquals(301, oneJson(r).get("memories").asLong());
    JsonNode after = oneJson(a.ok("--json", "status"));
    for (String field : new String[] {"digest", "digests", "vault", "device", "classes", "count"}) {
      assertEquals(before.get(field), after.get(field), field);
    }
    assertArrayEquals(export, a.export());
    assertEquals(phrase, oneJson(a.ok("--json", "recovery", "show")).get("recovery_phrase").textValue());

    // Restoring again over the restored home is refused; it stays as it is.
    a.env.put(RestoreCommand.PHRASE_ENV, phrase);
    assertFailed(a.run("restore", file.toString()), Mnode.EXIT_INVALID, "not empty");
    assertArrayEquals(export, a.export());
  }

  @Test
  void restore_wrongPhraseOrDamagedFile_isOneLineAndCreatesNoHome() throws Exception {
    Path file = tmp.resolve("vault.mnbk");
    a.ok("backup", file.toString());
    CliHarness fresh = new CliHarness(tmp.resolve("new-home"));
    String[] words = phrase.split(" ");
    String wrong = String.join(" ", Arrays.copyOf(words, 23)) + " " + words[0];
    Path phraseFile = tmp.resolve("phrase.txt");
    Files.writeString(phraseFile, "abandon ".repeat(23) + "art\n");
    assertFailed(fresh.run("restore", file.toString(), "--phrase-file", phraseFile.toString()),
        Mnode.EXIT_INVALID, "the recovery phrase does not open this backup");
    CliHarness.Result typo = fresh.runWithStdin(wrong.getBytes(StandardCharsets.UTF_8), "--json", "restore", file.toString());
    assertEquals(Mnode.EXIT_INVALID, typo.exit(), typo::toString);
    assertEquals("invalid_input", oneJson(typo).get("error").get("code").textValue());
    byte[] bytes = Files.readAllBytes(file);
    Path cut = tmp.resolve("cut.mnbk");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
    fresh.env.put(RestoreCommand.PHRASE_ENV, phrase);
    assertFailed(fresh.run("restore", cut.toString()), Mnode.EXIT_FAILURE, "the backup is damaged");
    assertFalse(Files.exists(fresh.home));
    assertTrue(fresh.run("restore", file.toString()).exit() == 0);
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
