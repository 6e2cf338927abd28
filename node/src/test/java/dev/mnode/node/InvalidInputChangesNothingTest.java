package dev.mnode.node;

import static dev.mnode.node.NodeTestSupport.count;
import static dev.mnode.node.NodeTestSupport.export;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid request throws {@link InvalidInputException} and leaves the store as it was. */
class InvalidInputChangesNothingTest {
  private static final String UNKNOWN_ID = "01937a2b-1c3d-7e4f-8a5b-6c7d8e9f0a1b";

  @TempDir Path tmp;

  private MemoryService svc;
  private Memory existing;
  private byte[] before;

  @BeforeEach
  void open() throws Exception {
    svc = NodeTestSupport.init(tmp, "home", new TestClock("2026-11-26T10:00:00Z"));
    existing =
        svc.remember(
            new MemoryDraft("existing", "work", List.of("t"), 0.25, "cli", false, Map.of("k", "v"), List.of()));
    before = export(svc);
  }

  @AfterEach
  void close() {
    svc.close();
  }

  private static MemoryDraft draft(String text, String cls, Double importance) {
    return new MemoryDraft(text, cls, List.of(), importance, null, false, Map.of(), List.of());
  }

  private static MemoryPatch patchImportance(double importance) {
    return new MemoryPatch(null, null, null, importance, null, null, Map.of(), null);
  }

  private static MemoryPatch patchText(String text) {
    return new MemoryPatch(text, null, null, null, null, null, Map.of(), null);
  }

  private static MemoryPatch patchClass(String cls) {
    return new MemoryPatch(null, cls, null, null, null, null, Map.of(), null);
  }

  /** A text of exactly {@code bytes} UTF-8 bytes, mixing one-, two- and four-byte characters. */
  static String textOfBytes(int bytes) {
    StringBuilder sb = new StringBuilder();
    while (bytes >= 4 + 1) {
      sb.append("🧠");
      bytes -= 4;
      if (bytes >= 2 + 1) {
        sb.append("é");
        bytes -= 2;
      }
    }
    sb.append("a".repeat(bytes));
    return sb.toString();
  }

  interface Request {
    void run(MemoryService svc, String existingId) throws Exception;
  }

  static Stream<Arguments> invalidRequests() {
    String tooLong = textOfBytes(Memory.MAX_TEXT_BYTES + 1);
    return Stream.of(
        Arguments.of("remember empty text", (Request) (s, id) -> s.remember(draft("", null, null)), "text is empty"),
        Arguments.of("remember whitespace text", (Request) (s, id) -> s.remember(draft(" \t\r\n ", null, null)), "text is empty"),
        Arguments.of("remember 65,537 bytes", (Request) (s, id) -> s.remember(draft(tooLong, null, null)), "65537 bytes"),
        Arguments.of("remember importance -0.1", (Request) (s, id) -> s.remember(draft("x", null, -0.1)), "importance"),
        Arguments.of("remember importance 1.1", (Request) (s, id) -> s.remember(draft("x", null, 1.1)), "importance"),
        Arguments.of("remember importance NaN", (Request) (s, id) -> s.remember(draft("x", null, Double.NaN)), "importance"),
        Arguments.of("remember importance infinite", (Request) (s, id) -> s.remember(draft("x", null, Double.POSITIVE_INFINITY)), "importance"),
        Arguments.of("remember unknown class", (Request) (s, id) -> s.remember(draft("x", "legal", null)), "unknown class \"legal\""),
        Arguments.of("remember invalid class name", (Request) (s, id) -> s.remember(draft("x", "Work", null)), "invalid class name"),
        Arguments.of(
            "remember malformed link",
            (Request) (s, id) -> s.remember(new MemoryDraft("x", null, List.of(), null, null, false, Map.of(), List.of("nope"))),
            "not a memory id"),
        Arguments.of(
            "remember blank tag",
            (Request) (s, id) -> s.remember(new MemoryDraft("x", null, List.of(" "), null, null, false, Map.of(), List.of())),
            "tag"),
        Arguments.of("get malformed id", (Request) (s, id) -> s.get("not-an-id"), "not a memory id"),
        Arguments.of("get unknown id", (Request) (s, id) -> s.get(UNKNOWN_ID), "no memory with id " + UNKNOWN_ID),
        Arguments.of("forget malformed id", (Request) (s, id) -> s.forget("1234"), "not a memory id"),
        Arguments.of("forget unknown id", (Request) (s, id) -> s.forget(UNKNOWN_ID), "no memory with id"),
        Arguments.of("update malformed id", (Request) (s, id) -> s.update("zz", patchText("y")), "not a memory id"),
        Arguments.of("update unknown id", (Request) (s, id) -> s.update(UNKNOWN_ID, patchText("y")), "no memory with id"),
        Arguments.of("update empty text", (Request) (s, id) -> s.update(id, patchText("")), "text is empty"),
        Arguments.of("update whitespace text", (Request) (s, id) -> s.update(id, patchText("   ")), "text is empty"),
        Arguments.of("update 65,537 bytes", (Request) (s, id) -> s.update(id, patchText(tooLong)), "65537 bytes"),
        Arguments.of("update importance -0.1", (Request) (s, id) -> s.update(id, patchImportance(-0.1)), "importance"),
        Arguments.of("update importance 1.1", (Request) (s, id) -> s.update(id, patchImportance(1.1)), "importance"),
        Arguments.of("update importance NaN", (Request) (s, id) -> s.update(id, patchImportance(Double.NaN)), "importance"),
        Arguments.of("update unknown class", (Request) (s, id) -> s.update(id, patchClass("legal")), "unknown class"),
        Arguments.of("update invalid class name", (Request) (s, id) -> s.update(id, patchClass("1abc")), "invalid class name"),
        Arguments.of(
            "update link to itself",
            (Request) (s, id) -> s.update(id, new MemoryPatch(null, null, null, null, null, null, Map.of(), List.of(id))),
            "link to itself"),
        Arguments.of("add invalid class", (Request) (s, id) -> s.addClass("Work"), "invalid class name"),
        Arguments.of("add 33-character class", (Request) (s, id) -> s.addClass("a".repeat(33)), "invalid class name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidRequest_throwsInvalidInput_andChangesNothing(String what, Request request, String reason)
      throws Exception {
    String id = existing.id().toString();
    Executable call = () -> request.run(svc, id);
    InvalidInputException e = assertThrows(InvalidInputException.class, call);
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertEquals(1, count(svc));
    assertEquals(existing, svc.get(id));
    assertArrayEquals(before, export(svc));
    assertEquals(List.of("financial", "health", "other", "personal", "work"), svc.classes());
  }

  @Test
  void unknownId_isNotFoundException_forGetUpdateForget() {
    assertInstanceOf(NotFoundException.class, assertThrows(NodeException.class, () -> svc.get(UNKNOWN_ID)));
    assertInstanceOf(
        NotFoundException.class, assertThrows(NodeException.class, () -> svc.update(UNKNOWN_ID, patchText("y"))));
    assertInstanceOf(NotFoundException.class, assertThrows(NodeException.class, () -> svc.forget(UNKNOWN_ID)));
  }

  @Test
  void malformedId_isInvalidInput_notNotFound() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> svc.get("nope"));
    assertFalse(e instanceof NotFoundException);
  }

  @Test
  void text_of65536Bytes_isAccepted_of65537Rejected() throws Exception {
    String exact = textOfBytes(Memory.MAX_TEXT_BYTES);
    assertEquals(65_536, exact.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(65_537, textOfBytes(65_537).getBytes(StandardCharsets.UTF_8).length);
    Memory m = svc.remember(MemoryDraft.of(exact));
    assertEquals(exact, svc.get(m.id().toString()).text());
    String ascii = "a".repeat(65_536);
    assertEquals(ascii, svc.remember(MemoryDraft.of(ascii)).text());
    assertThrows(InvalidInputException.class, () -> svc.remember(MemoryDraft.of("a".repeat(65_537))));
    assertEquals(3, count(svc));
  }

  @Test
  void importance_boundaries_0and1_areAccepted() throws Exception {
    assertEquals(0.0, svc.remember(draft("zero", null, 0.0)).importance());
    assertEquals(1.0, svc.remember(draft("one", null, 1.0)).importance());
  }

  @Test
  void update_invalidField_leavesEveryOtherFieldUnchangedToo() throws Exception {
    String id = existing.id().toString();
    MemoryPatch mixed =
        new MemoryPatch("new text", "health", List.of("new"), 1.5, "other", true, Map.of("k", ""), null);
    assertThrows(InvalidInputException.class, () -> svc.update(id, mixed));
    assertEquals(existing, svc.get(id));
    assertEquals(MemoryId.parse(id), existing.id());
  }
}
