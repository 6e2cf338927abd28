package dev.mnode.node;

import static dev.mnode.node.NodeTestSupport.concat;
import static dev.mnode.node.NodeTestSupport.count;
import static dev.mnode.node.NodeTestSupport.export;
import static dev.mnode.node.NodeTestSupport.importBytes;
import static dev.mnode.node.NodeTestSupport.importText;
import static dev.mnode.node.NodeTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad line anywhere fails the whole import with {@link InvalidInputException} naming the line,
 * and the store is exactly as it was.
 */
class ImportAllOrNothingTest {
  private static final String GOOD = "{\"text\":\"good\",\"class\":\"work\"}";

  @TempDir Path tmp;

  private MemoryService svc;
  private byte[] before;

  @BeforeEach
  void open() throws Exception {
    svc = NodeTestSupport.init(tmp, "home", new TestClock("2026-11-26T10:00:00Z"));
    importText(svc, "{\"text\":\"already there\",\"class\":\"personal\"}\n");
    before = export(svc);
  }

  @AfterEach
  void close() {
    svc.close();
  }

  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of("malformed JSON", utf8("{\"text\": \"unterminated"), "malformed JSON"),
        Arguments.of("trailing garbage", utf8("{\"text\":\"x\"} x"), "malformed JSON"),
        Arguments.of("two objects on one line", utf8("{\"text\":\"x\"}{\"text\":\"y\"}"), "malformed JSON"),
        Arguments.of("duplicate key", utf8("{\"text\":\"x\",\"text\":\"y\"}"), "malformed JSON"),
        Arguments.of(
            "non-UTF-8 bytes",
            concat(utf8("{\"text\":\"caf"), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}")),
            "not valid UTF-8"),
        Arguments.of("lone continuation byte", concat(utf8("{\"text\":\""), new byte[] {(byte) 0x80}, utf8("\"}")), "not valid UTF-8"),
        Arguments.of("not an object", utf8("[\"text\"]"), "expected a JSON object"),
        Arguments.of("JSON null", utf8("null"), "expected a JSON object"),
        Arguments.of("unknown class", utf8("{\"text\":\"x\",\"class\":\"legal\"}"), "unknown class \"legal\""),
        Arguments.of("invalid class name", utf8("{\"text\":\"x\",\"class\":\"Work\"}"), "invalid class name"),
        Arguments.of("importance above 1", utf8("{\"text\":\"x\",\"importance\":1.1}"), "importance"),
        Arguments.of("importance below 0", utf8("{\"text\":\"x\",\"importance\":-0.1}"), "importance"),
        Arguments.of("importance overflowing to infinity", utf8("{\"text\":\"x\",\"importance\":1e400}"), "importance"),
        Arguments.of("importance as a string", utf8("{\"text\":\"x\",\"importance\":\"0.5\"}"), "importance"),
        Arguments.of("empty text", utf8("{\"text\":\"\"}"), "text is empty"),
        Arguments.of("whitespace text", utf8("{\"text\":\" \\t\\n \"}"), "text is empty"),
        Arguments.of("missing text", utf8("{\"class\":\"work\"}"), "\"text\" is required"),
        Arguments.of("text not a string", utf8("{\"text\":42}"), "\"text\" must be a string"),
        Arguments.of(
            "text over 64 KiB",
            utf8("{\"text\":\"" + "a".repeat(64 * 1024 + 1) + "\"}"),
            "text is 65537 bytes"),
        Arguments.of("unknown field", utf8("{\"text\":\"x\",\"colour\":\"red\"}"), "unknown field \"colour\""),
        Arguments.of("malformed id", utf8("{\"text\":\"x\",\"id\":\"42\"}"), "not a memory id"),
        Arguments.of("malformed time", utf8("{\"text\":\"x\",\"created\":\"yesterday\"}"), "\"created\""),
        Arguments.of(
            "updated before created",
            utf8("{\"text\":\"x\",\"created\":\"2026-01-02T00:00:00Z\",\"updated\":\"2026-01-01T00:00:00Z\"}"),
            "before created"),
        Arguments.of("pinned not boolean", utf8("{\"text\":\"x\",\"pinned\":\"yes\"}"), "\"pinned\""),
        Arguments.of("tags not strings", utf8("{\"text\":\"x\",\"tags\":[1]}"), "\"tags\""),
        Arguments.of("metadata value not string", utf8("{\"text\":\"x\",\"metadata\":{\"k\":1}}"), "\"metadata\""),
        Arguments.of("malformed link", utf8("{\"text\":\"x\",\"links\":[\"nope\"]}"), "not a memory id"),
        Arguments.of(
            "links to itself",
            utf8("{\"id\":\"01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b\",\"text\":\"x\",\"links\":[\"01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b\"]}"),
            "link to itself"));
  }

  /** Line 1 good, line 2 blank, line 3 good, line 4 bad, line 5 good. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badLines")
  void import_badLine_failsWithItsLineNumber_andImportsNothing(String what, byte[] bad, String reason)
      throws Exception {
    byte[] file = concat(utf8(GOOD + "\n\n" + GOOD + "\n"), bad, utf8("\n" + GOOD + "\n"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> importBytes(svc, file));
    assertTrue(e.getMessage().startsWith("line 4: "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertEquals(1, count(svc));
    assertArrayEquals(before, export(svc));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLines")
  void import_badLine_withCrlfEndings_failsWithItsLineNumber(String what, byte[] bad, String reason)
      throws Exception {
    byte[] file = concat(utf8(GOOD + "\r\n\r\n"), bad, utf8("\r\n" + GOOD + "\r\n"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> importBytes(svc, file));
    assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertArrayEquals(before, export(svc));
  }

  @Test
  void import_nonUtf8Line_failsWithLineNumber_andImportsNothing() throws Exception {
    byte[] file =
        concat(
            utf8(GOOD + "\n" + GOOD + "\n"),
            new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> importBytes(svc, file));
    assertEquals("line 3: not valid UTF-8", e.getMessage());
    assertArrayEquals(before, export(svc));
  }

  @Test
  void import_badFirstLine_isLine1() throws Exception {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> importText(svc, "{oops}\n" + GOOD + "\n"));
    assertTrue(e.getMessage().startsWith("line 1: malformed JSON"), e.getMessage());
    assertArrayEquals(before, export(svc));
  }

  @Test
  void import_badLastLineWithoutNewline_isCounted() throws Exception {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> importText(svc, GOOD + "\n" + GOOD + "\n" + "{\"text\":\"\"}"));
    assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
    assertArrayEquals(before, export(svc));
  }

  @Test
  void import_badLineAfterSeveralBatches_stillImportsNothing() throws Exception {
    StringBuilder sb = new StringBuilder();
    int good = LocalMemoryService.IMPORT_BATCH * 2 + 5;
    for (int i = 0; i < good; i++) {
      sb.append("{\"text\":\"m").append(i).append("\"}\n");
    }
    sb.append("{\"text\":\"x\",\"importance\":2}\n");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> importText(svc, sb.toString()));
    assertTrue(e.getMessage().startsWith("line " + (good + 1) + ": "), e.getMessage());
    assertEquals(1, count(svc));
    assertArrayEquals(before, export(svc));
  }

  @Test
  void import_lineLongerThanLimit_failsWithLineNumber() throws Exception {
    String huge = "{\"text\":\"" + "a".repeat(JsonLinesReader.MAX_LINE_BYTES) + "\"}";
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> importText(svc, GOOD + "\n" + huge + "\n"));
    assertTrue(e.getMessage().startsWith("line 2: longer than"), e.getMessage());
    assertArrayEquals(before, export(svc));
  }

  @Test
  void import_exactly64KiBText_isAccepted() throws Exception {
    ImportSummary s = importText(svc, "{\"text\":\"" + "é".repeat(32 * 1024) + "\"}\n");
    assertEquals(1, s.imported());
    assertEquals(2, count(svc));
  }
}
