package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.guard.RedactionType;
import dev.mnode.store.Memory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets are redacted before a memory is stored or indexed: remember and update store typed
 * placeholders, record what was replaced (types and counts) in the metadata, and report it; no
 * planted value is anywhere under the home afterwards; a class whose policy refuses a type gets
 * a clear error and nothing is stored.
 */
class RedactionOnWriteTest {
  @TempDir Path tmp;

  static final String KEY = "AKIA4CFSUOSG2WPIZZXX";
  static final String CARD = "4111 1111 1111 1111";
  static final String KEY2 = "AKIA4J4W33RGAZCUIZJ4";

  private static MemoryDraft draft(String text, String c, Map<String, String> meta) {
    return new MemoryDraft(text, c, List.of(), null, null, false, meta, List.of());
  }

  @Test
  void rememberAndUpdate_storePlaceholders_andNoValueIsLeftUnderTheHome() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, Clock.systemUTC())) {
      Remembered r = svc.remember(
          draft("The CI user has access key id " + KEY + "; the team card is " + CARD + ".", "work", Map.of("note", "old key " + KEY2)),
          true);
      Memory m = r.memory();
      assertFalse(m.text().contains(KEY) || m.text().contains(CARD), m.text());
      assertTrue(m.text().contains("[REDACTED:aws-key]") && m.text().contains("[REDACTED:credit-card]"), m.text());
      assertEquals("old key [REDACTED:aws-key]", m.metadata().get("note"));
      assertEquals("aws-key:2,credit-card:1", m.metadata().get("redacted"));
      assertEquals(Map.of(RedactionType.AWS_KEY, 2, RedactionType.CREDIT_CARD, 1),
          r.redactions().stream().collect(java.util.stream.Collectors.toMap(f -> f.type(), f -> f.count())));
      assertEquals(m, svc.get(m.id().toString()));

      Memory u = svc.update(m.id().toString(), new MemoryPatch("Rotated: the new key is " + KEY2, null, null, null, null, null, Map.of(), null));
      assertFalse(u.text().contains(KEY2), u.text());
      assertEquals("aws-key:1", u.metadata().get("redacted"), "what the latest write replaced");

      Memory clean = svc.remember(draft("Release 2.4.1 ships on 2026-12-01, build 3f9c2e1.", "work", Map.of()), true).memory();
      assertEquals("Release 2.4.1 ships on 2026-12-01, build 3f9c2e1.", clean.text(), "near-misses are kept");
      assertFalse(clean.metadata().containsKey("redacted"));

      svc.recall(new RecallQuery("access key of the CI user", 5, List.of(), List.of(), null, null, null), ProgressListener.NONE);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      svc.exportJsonLines(out, ProgressListener.NONE);
      String exported = out.toString(StandardCharsets.UTF_8);
      for (String v : List.of(KEY, KEY2, CARD)) {
        assertFalse(exported.contains(v), v + " in the export");
      }
    }
    // Every file under the home: store, sealed index, config, logs.
    try (Stream<Path> files = Files.walk(home.dir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String v : List.of(KEY, KEY2, CARD, CARD.replace(" ", ""))) {
          assertEquals(-1, raw.indexOf(v), v + " found in " + f.getFileName());
        }
      }
    }
  }

  @Test
  void aClassWhosePolicyRefusesAType_getsAClearError_andNothingIsStored() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    NodeModule.init(home, null, NodeTestSupport.FAST, Clock.systemUTC()).close();
    Files.writeString(home.dir().resolve("config.json"), "{\"redaction\": {\"classes\": {\"work\": {\"aws-key\": \"refuse\"}}}}");
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, Clock.systemUTC())) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> svc.remember(draft("deploy with " + KEY, "work", Map.of()), true));
      assertTrue(e.getMessage().contains("aws-key") && e.getMessage().contains("work"), e.getMessage());
      assertFalse(e.getMessage().contains(KEY), "the error never holds the value");
      assertEquals(0, svc.status().count());
      // Other classes keep the default: redact.
      assertTrue(svc.remember(draft("deploy with " + KEY, "personal", Map.of()), true).memory().text().contains("[REDACTED:aws-key]"));
    }
    Files.writeString(home.dir().resolve("config.json"), "{\"redaction\": {\"classes\": {\"work\": {\"aws-key\": \"maybe\"}}}}");
    NodeException bad = assertThrows(NodeException.class, () -> NodeModule.open(home, PassphraseSource.NONE, Clock.systemUTC()));
    assertTrue(bad.getMessage().startsWith("config.json: "), bad.getMessage());
  }
}
