package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.node.guard.GuardModule;
import dev.mnode.node.guard.RedactionPolicy;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import prepares lines as remember prepares a memory: lines without a class get one, every line
 * is redacted (on every core, with the same result as on one), and a line the policy refuses fails
 * the import with its number before anything is written.
 */
class ImportGuardTest {
  @TempDir Path tmp;

  static final String KEY = RedactionOnWriteTest.KEY;

  private static String line(String text, String cls) {
    return "{\"text\":\"" + text + "\"" + (cls == null ? "" : ",\"class\":\"" + cls + "\"") + "}\n";
  }

  @Test
  void import_redactsEveryLine_andClassifiesLinesWithoutAClass() throws Exception {
    try (MemoryService svc = NodeTestSupport.init(tmp, "home", Clock.systemUTC())) {
      String jsonl = line("The CI access key id is " + KEY + ".", "work")
          + line("Note: mail ana@example.org about the offsite", "other")
          + line("Standup moved to 9:30 on Tuesdays, in the big meeting room with the whole engineering team.", null)
          + line("I am allergic to penicillin and take antihistamines in spring.", null)
          + line("Release 2.4.1 ships on 2026-12-01.", "work");
      assertEquals(5, NodeTestSupport.importText(svc, jsonl).imported());
      String exported = NodeTestSupport.exportText(svc);
      assertFalse(exported.contains(KEY) || exported.contains("ana@example.org"), exported);
      List<Memory> all = svc.list(ListQuery.all(10));
      Memory key = find(all, "The CI access key");
      assertEquals("The CI access key id is [REDACTED:aws-key].", key.text());
      assertEquals("aws-key:1", key.metadata().get(LocalMemoryService.REDACTED));
      assertFalse(find(all, "Release").metadata().containsKey(LocalMemoryService.REDACTED));
      assertFalse(find(all, "Release").metadata().containsKey(ClassMetadata.SOURCE), "a named class is kept as named");
      Memory health = find(all, "I am allergic");
      assertEquals(ClassMetadata.AUTO, health.metadata().get(ClassMetadata.SOURCE));
      assertTrue(health.metadata().containsKey(ClassMetadata.CONFIDENCE));
      assertEquals("health", health.memoryClass().name());
      Memory standup = find(all, "Standup");
      assertEquals(ClassMetadata.AUTO, standup.metadata().get(ClassMetadata.SOURCE));
    }
  }

  @Test
  void manyLines_mixedWithAndWithoutClass_areAllRedacted_andOnlyTheClasslessOnesClassified() throws Exception {
    try (MemoryService svc = NodeTestSupport.init(tmp, "home", Clock.systemUTC())) {
      StringBuilder jsonl = new StringBuilder();
      int n = 2 * ImportGuard.CHUNK + 41;
      for (int i = 0; i < n; i++) {
        jsonl.append(line("note " + i + " with key " + KEY, i % 3 == 0 ? null : "work"));
      }
      assertEquals(n, NodeTestSupport.importText(svc, jsonl.toString()).imported());
      List<Memory> all = svc.list(ListQuery.all(1000));
      assertEquals(n, all.size());
      for (Memory m : all) {
        int i = Integer.parseInt(m.text().split(" ")[1]);
        assertEquals("note " + i + " with key [REDACTED:aws-key]", m.text());
        assertEquals(i % 3 == 0, m.metadata().containsKey(ClassMetadata.SOURCE), m.toString());
      }
    }
  }

  @Test
  void aLineThePolicyRefuses_failsTheImportWithItsNumber_andNothingIsWritten() throws Exception {
    Home home = new Home(tmp.resolve("home"));
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, Clock.systemUTC())) {
      svc.remember(MemoryDraft.of("before"));
    }
    Files.writeString(home.dir().resolve("config.json"), "{\"redaction\": {\"classes\": {\"work\": {\"aws-key\": \"refuse\"}}}}");
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, Clock.systemUTC())) {
      StringBuilder jsonl = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        jsonl.append(line("harmless note " + i, "work"));
      }
      jsonl.append(line("key " + KEY, "personal")); // line 1001: allowed in personal, redacted
      jsonl.append(line("key " + KEY, "work")); // line 1002: refused
      jsonl.append(line("key " + KEY, "work")); // line 1003: refused too, but 1002 is named
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> NodeTestSupport.importText(svc, jsonl.toString()));
      assertTrue(e.getMessage().startsWith("line 1002: "), e.getMessage());
      assertFalse(e.getMessage().contains(KEY));
      assertEquals(1, NodeTestSupport.count(svc));
    }
  }

  @Test
  void redactingOnManyThreads_givesWhatOneThreadGives_inLineOrder() throws Exception {
    List<ImportGuard.Line> lines = new ArrayList<>();
    Instant now = Instant.parse("2026-11-26T10:00:00Z");
    Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
    for (int i = 0; i < 3 * ImportGuard.CHUNK + 17; i++) {
      String text = i % 7 == 0 ? "key " + KEY + " number " + i : i % 11 == 0 ? "mail bob" + i + "@example.com" : "plain " + i;
      Memory m = Memory.builder(MemoryId.generate(clock), text, now).build();
      lines.add(new ImportGuard.Line(m, i + 1, false));
    }
    ImportGuard.Redact redact = m -> {
      String t = GuardModule.redactor().redact(m.text(), m.memoryClass().name(), RedactionPolicy.defaults()).text();
      return m.toBuilder().text(t).build();
    };
    List<Memory> one = ImportGuard.redact(lines, redact, 1, ProgressListener.NONE);
    List<Memory> four = ImportGuard.redact(lines, redact, 4, ProgressListener.NONE);
    assertEquals(one, four);
    assertEquals("key [REDACTED:aws-key] number 0", one.get(0).text());
    assertEquals("mail [REDACTED:email]", one.get(11).text());
    assertEquals("plain 1", one.get(1).text());
  }

  private static Memory find(List<Memory> all, String prefix) {
    return all.stream().filter(m -> m.text().startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix));
  }
}
