package dev.mnode.node;

import static dev.mnode.node.NodeTestSupport.count;
import static dev.mnode.node.NodeTestSupport.export;
import static dev.mnode.node.NodeTestSupport.exportText;
import static dev.mnode.node.NodeTestSupport.importBytes;
import static dev.mnode.node.NodeTestSupport.importText;
import static dev.mnode.node.NodeTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines import defaults, exact preservation, skips, and export-import round trips. */
class ImportExportTest {
  private static final String ID_A = "01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b";
  private static final String ID_B = "01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1c";
  private static final String ID_V4 = "3f0e5c6a-9b7d-4c1e-a2f3-0d4b5c6e7f80";

  @TempDir Path tmp;

  private final TestClock clock = new TestClock("2026-11-26T10:00:00.5Z");
  private MemoryService svc;

  @BeforeEach
  void open() throws Exception {
    svc = NodeTestSupport.init(tmp, "home", clock);
  }

  @AfterEach
  void close() {
    svc.close();
  }

  @Test
  void import_onlyText_getsAProposedClass_generatedId_andNowTimes() throws Exception {
    ImportSummary s = importText(svc, "{\"text\":\"only text\"}\n");
    assertEquals(1, s.imported());
    assertEquals(0, s.skipped());
    Memory m = svc.list(ListQuery.all(10)).get(0);
    assertEquals("only text", m.text());
    assertEquals(MemoryClass.OTHER, m.memoryClass());
    assertEquals(Memory.DEFAULT_IMPORTANCE, m.importance());
    assertEquals("", m.source());
    assertFalse(m.pinned());
    assertEquals(List.of(), m.tags());
    // A line without a class is classified as remember does; the proposal is recorded.
    assertEquals(dev.mnode.node.classify.ClassMetadata.AUTO, m.metadata().get(dev.mnode.node.classify.ClassMetadata.SOURCE));
    assertEquals(
        java.util.Set.of(dev.mnode.node.classify.ClassMetadata.SOURCE, dev.mnode.node.classify.ClassMetadata.CONFIDENCE),
        m.metadata().keySet());
    assertEquals(List.of(), m.links());
    assertEquals(7, m.id().uuid().version());
    assertEquals(clock.instant(), m.created());
    assertEquals(clock.instant(), m.updated());
  }

  @Test
  void import_generatedIds_areDistinct() throws Exception {
    importText(svc, "{\"text\":\"a\"}\n{\"text\":\"a\"}\n{\"text\":\"a\"}\n");
    assertEquals(3, count(svc));
    assertEquals(3, svc.list(ListQuery.all(10)).stream().map(Memory::id).distinct().count());
  }

  @Test
  void import_givenIdAndNanosecondTimes_areKeptExactly() throws Exception {
    importText(
        svc,
        "{\"id\":\"" + ID_V4 + "\",\"text\":\"t\",\"class\":\"work\","
            + "\"created\":\"2020-02-29T23:59:59.123456789Z\",\"updated\":\"2021-01-01T00:00:00.000000001Z\"}\n");
    Memory m = svc.get(ID_V4);
    assertEquals(MemoryId.parse(ID_V4), m.id());
    assertEquals(Instant.parse("2020-02-29T23:59:59.123456789Z"), m.created());
    assertEquals(Instant.parse("2021-01-01T00:00:00.000000001Z"), m.updated());
    assertEquals(MemoryClass.WORK, m.memoryClass());
    JsonNode exported = new ObjectMapper().readTree(exportText(svc));
    assertEquals("2020-02-29T23:59:59.123456789Z", exported.get("created").textValue());
    assertEquals("2021-01-01T00:00:00.000000001Z", exported.get("updated").textValue());
  }

  @Test
  void import_createdWithoutUpdated_setsUpdatedToCreated() throws Exception {
    importText(svc, "{\"id\":\"" + ID_A + "\",\"text\":\"t\",\"created\":\"2024-05-06T07:08:09.1Z\"}");
    Memory m = svc.get(ID_A);
    assertEquals(Instant.parse("2024-05-06T07:08:09.1Z"), m.created());
    assertEquals(m.created(), m.updated());
  }

  @Test
  void import_nullFields_takeDefaults() throws Exception {
    importText(
        svc,
        "{\"id\":null,\"text\":\"t\",\"class\":null,\"tags\":null,\"importance\":null,"
            + "\"source\":null,\"created\":null,\"updated\":null,\"pinned\":null,\"metadata\":null,\"links\":null}\n");
    Memory m = svc.list(ListQuery.all(1)).get(0);
    assertEquals(MemoryClass.OTHER, m.memoryClass());
    assertEquals(0.5, m.importance());
    assertEquals(clock.instant(), m.created());
  }

  @Test
  void exportThenImport_intoFreshHome_reproducesEveryFieldExactly() throws Exception {
    clock.set(Instant.parse("2026-11-26T10:00:00.987654321Z"));
    Memory linked = svc.remember(MemoryDraft.of("linked target"));
    clock.advance(Duration.ofNanos(123_456_789));
    svc.remember(
        new MemoryDraft(
            "Unicode: Grüße, 日本語, emoji 🧠🚀, combining e\u0301, quotes \" and \\ and\nnew line\ttab",
            "work",
            List.of("payments", "décision", "标签"),
            0.123456789,
            "claude-desktop",
            true,
            Map.of("project", "atlas", "ключ", "значение", "empty", ""),
            List.of(linked.id().toString())));
    importText(
        svc,
        "{\"id\":\"" + ID_A + "\",\"text\":\"imported with its own times\",\"class\":\"health\","
            + "\"tags\":[\"x\"],\"importance\":1.0,\"source\":\"other-app\","
            + "\"created\":\"2019-03-04T05:06:07.000000009Z\",\"updated\":\"2025-03-04T05:06:07.900Z\","
            + "\"pinned\":true,\"metadata\":{\"a\":\"1\",\"b\":\"2\"},\"links\":[\"" + ID_B + "\",\"" + ID_V4 + "\"]}\n"
            + "{\"id\":\"" + ID_V4 + "\",\"text\":\"a v4 id, importance 0\",\"importance\":0,"
            + "\"created\":\"2000-01-01T00:00:00Z\"}\n");
    assertTrue(svc.addClass("legal"));
    svc.remember(new MemoryDraft("custom class", "legal", List.of(), 1e-9, null, false, Map.of(), List.of()));
    List<Memory> originals = svc.list(ListQuery.all(100));
    assertEquals(5, originals.size());

    byte[] first = export(svc);
    try (MemoryService fresh = NodeTestSupport.init(tmp, "fresh", new TestClock("2030-01-01T00:00:00Z"))) {
      fresh.addClass("legal");
      ImportSummary s = importBytes(fresh, first);
      assertEquals(5, s.imported());
      assertEquals(0, s.skipped());
      assertArrayEquals(first, export(fresh));
      assertEquals(originals, fresh.list(ListQuery.all(100)));
    }
    String text = new String(first, java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("\"importance\":0.123456789"), text);
    assertTrue(text.contains("Grüße, 日本語, emoji 🧠🚀"), "exports UTF-8 as is, emoji too: " + text);
    assertEquals(5, text.lines().count(), "one line per memory");
  }

  @Test
  void export_isNewestFirst_oneObjectPerLine_withEveryField() throws Exception {
    svc.remember(MemoryDraft.of("older"));
    clock.advance(Duration.ofSeconds(1));
    svc.remember(MemoryDraft.of("newer"));
    List<String> lines = exportText(svc).lines().toList();
    assertEquals(2, lines.size());
    ObjectMapper om = new ObjectMapper();
    assertEquals("newer", om.readTree(lines.get(0)).get("text").textValue());
    assertEquals("older", om.readTree(lines.get(1)).get("text").textValue());
    List<String> fields = new ArrayList<>();
    om.readTree(lines.get(0)).fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of("id", "text", "class", "tags", "importance", "source", "created", "updated", "pinned",
            "metadata", "links"),
        fields);
  }

  @Test
  void import_idAlreadyInStore_isSkippedWithReason_andStoredMemoryKept() throws Exception {
    importText(svc, "{\"id\":\"" + ID_A + "\",\"text\":\"original\"}\n");
    Memory before = svc.get(ID_A);
    ImportSummary s =
        importText(
            svc,
            "{\"id\":\"" + ID_A + "\",\"text\":\"replacement\"}\n{\"id\":\"" + ID_B + "\",\"text\":\"new\"}\n");
    assertEquals(1, s.imported());
    assertEquals(1, s.skipped());
    assertEquals(new TreeMap<>(Map.of("id already in the store", 1L)), s.skippedReasons());
    assertEquals(before, svc.get(ID_A));
    assertEquals("new", svc.get(ID_B).text());
    assertEquals(2, count(svc));
  }

  @Test
  void import_sameExportTwice_skipsEverything() throws Exception {
    for (int i = 0; i < 3; i++) {
      svc.remember(MemoryDraft.of("m" + i));
    }
    byte[] bytes = export(svc);
    ImportSummary s = importBytes(svc, bytes);
    assertEquals(0, s.imported());
    assertEquals(3, s.skipped());
    assertEquals(Map.of("id already in the store", 3L), s.skippedReasons());
    assertArrayEquals(bytes, export(svc));
  }

  @Test
  void import_idRepeatedInFile_keepsFirst_skipsLaterWithReason() throws Exception {
    ImportSummary s =
        importText(
            svc,
            "{\"id\":\"" + ID_A + "\",\"text\":\"first\"}\n"
                + "{\"id\":\"" + ID_A + "\",\"text\":\"second\"}\n"
                + "{\"id\":\"" + ID_B + "\",\"text\":\"other\"}\n"
                + "{\"id\":\"" + ID_A + "\",\"text\":\"third\"}\n");
    assertEquals(2, s.imported());
    assertEquals(2, s.skipped());
    assertEquals(Map.of("id repeated in the file", 2L), s.skippedReasons());
    assertEquals("first", svc.get(ID_A).text());
    assertEquals(2, count(svc));
  }

  @Test
  void import_bothSkipReasons_areCountedSeparately() throws Exception {
    importText(svc, "{\"id\":\"" + ID_A + "\",\"text\":\"there\"}");
    ImportSummary s =
        importText(
            svc,
            "{\"id\":\"" + ID_A + "\",\"text\":\"x\"}\n{\"id\":\"" + ID_B + "\",\"text\":\"y\"}\n"
                + "{\"id\":\"" + ID_B + "\",\"text\":\"z\"}\n");
    assertEquals(1, s.imported());
    assertEquals(2, s.skipped());
    assertEquals(
        Map.of("id already in the store", 1L, "id repeated in the file", 1L), s.skippedReasons());
  }

  @Test
  void import_blankLines_areIgnored_andCrlfLineEndingsWork() throws Exception {
    ImportSummary s =
        importText(
            svc,
            "\r\n{\"id\":\"" + ID_A + "\",\"text\":\"crlf\",\"tags\":[\"a\"]}\r\n\r\n   \r\n\t\n"
                + "{\"id\":\"" + ID_B + "\",\"text\":\"last line, no newline\"}");
    assertEquals(2, s.imported());
    assertEquals("crlf", svc.get(ID_A).text());
    assertEquals(List.of("a"), svc.get(ID_A).tags());
    assertEquals("last line, no newline", svc.get(ID_B).text());
  }

  @Test
  void import_emptyInput_importsNothing() throws Exception {
    ImportSummary s = importText(svc, "");
    assertEquals(0, s.imported());
    assertEquals(0, s.skipped());
    assertEquals(0, count(svc));
  }

  @Test
  void import_moreThanOneBatch_importsEveryLine_andReportsProgressToTheEnd() throws Exception {
    int n = LocalMemoryService.IMPORT_BATCH * 2 + 17;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"text\":\"memory ").append(i).append("\",\"class\":\"work\"}\n");
    }
    byte[] bytes = utf8(sb.toString());
    List<String> events = new ArrayList<>();
    ImportSummary s =
        svc.importJsonLines(
            new ByteArrayInputStream(bytes), bytes.length, (phase, done, total) -> events.add(phase + " " + done + "/" + total));
    assertEquals(n, s.imported());
    assertEquals(n, count(svc));
    assertEquals((long) n, svc.status().classes().get("work"));
    assertTrue(events.contains("reading " + bytes.length + "/" + bytes.length), events.toString());
    assertEquals("writing " + n + "/" + n, events.get(events.size() - 1));
  }

  @Test
  void import_thenRememberNew_newIdsDoNotCollideWithImported() throws Exception {
    importText(svc, "{\"text\":\"imported\"}");
    Memory m = svc.remember(MemoryDraft.of("remembered"));
    assertEquals(2, count(svc));
    assertNotEquals(svc.list(ListQuery.all(2)).get(1).id(), m.id());
  }
}
