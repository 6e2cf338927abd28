package dev.mnode.crdt;

import static dev.mnode.crdt.Devices.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value records refuse what breaks a limit, and keep sets sorted. */
class ValuesTest {
  private static MemoryFields.Builder fields() {
    return MemoryFields.builder("text", T0);
  }

  @Test
  void memoryFields_refuseEveryValueBreakingALimit() {
    List<Runnable> bad = List.of(
        () -> fields().text(" ").build(),
        () -> fields().text("x".repeat(MemoryFields.MAX_TEXT_BYTES + 1)).build(),
        () -> fields().text("é".repeat(MemoryFields.MAX_TEXT_BYTES / 2 + 1)).build(),
        () -> fields().text("lone \uD800").build(),
        () -> fields().memoryClass("Work").build(),
        () -> fields().tags(List.of(" padded")).build(),
        () -> fields().tags(List.of("tab\there")).build(),
        () -> fields().tags(List.of("x".repeat(MemoryFields.MAX_TAG_CHARS + 1))).build(),
        () -> fields().importance(Double.NaN).build(),
        () -> fields().importance(1.01).build(),
        () -> fields().importance(-0.01).build(),
        () -> fields().source("line\nbreak").build(),
        () -> fields().updated(T0.minusNanos(1)).build(),
        () -> fields().metadata(Map.of("", "v")).build(),
        () -> fields().metadata(Map.of("k", "x".repeat(MemoryFields.MAX_METADATA_VALUE_CHARS + 1))).build(),
        () -> fields().links(List.of("has space")).build(),
        () -> fields().links(List.of("x".repeat(MemoryFields.MAX_ID_CHARS + 1))).build(),
        () -> fields().tags(numbered(MemoryFields.MAX_TAGS + 1)).build(),
        () -> fields().links(numbered(MemoryFields.MAX_LINKS + 1)).build());
    for (int i = 0; i < bad.size(); i++) {
      assertThrows(IllegalArgumentException.class, bad.get(i)::run, "case " + i);
    }
  }

  @Test
  void memoryFields_sortTagsAndLinks_dropDuplicates_andNormalizeNegativeZero() {
    MemoryFields f = fields().tags(List.of("b", "a", "b")).links(List.of("z", "y")).importance(-0.0).build();
    assertEquals(List.of("a", "b"), f.tags());
    assertEquals(List.of("y", "z"), f.links());
    assertEquals(0, Double.compare(0.0, f.importance()));
    assertEquals(MemoryFields.MAX_TEXT_BYTES, fields().text("x".repeat(MemoryFields.MAX_TEXT_BYTES)).build().text().length());
  }

  @Test
  void memoryEdit_refusesContradictions() {
    assertThrows(IllegalArgumentException.class, () -> MemoryEdit.at(T0).tags(List.of("a")).addTag("b").build());
    assertThrows(IllegalArgumentException.class, () -> MemoryEdit.at(T0).addTag("a").removeTag("a").build());
    assertThrows(IllegalArgumentException.class, () -> MemoryEdit.at(T0).links(List.of("a")).removeLink("b").build());
    assertThrows(IllegalArgumentException.class, () -> MemoryEdit.at(T0).addLink("a").removeLink("a").build());
    assertThrows(IllegalArgumentException.class, () -> MemoryEdit.at(T0).putMetadata("k", "v").removeMetadata("k").build());
    assertThrows(IllegalArgumentException.class, () -> MemoryEdit.at(T0).importance(2).build());
    assertThrows(IllegalArgumentException.class, () -> MemoryEdit.at(T0).text("").build());
    assertTrue(MemoryEdit.at(T0).build().isEmpty());
    assertTrue(!MemoryEdit.at(T0).removeTag("a").build().isEmpty());
  }

  @Test
  void memoryState_allowsCountsBeyondTheWriteLimits_whichMergesCanReach() {
    MemoryState s = new MemoryState(
        "m-1", "text", "work", numbered(MemoryFields.MAX_TAGS * 2), 0.5, "", T0, T0, false,
        new java.util.TreeMap<>(), numbered(MemoryFields.MAX_LINKS * 2));
    assertEquals(MemoryFields.MAX_TAGS * 2, s.tags().size());
    assertThrows(IllegalArgumentException.class,
        () -> new MemoryState("m-1", "text", "work", List.of(), 0.5, "", T0, T0.minusSeconds(1), false, new java.util.TreeMap<>(), List.of()));
  }

  @Test
  void identifiers_haveFixedSizesAndValueEquality() {
    assertThrows(IllegalArgumentException.class, () -> new ChangeHash(ByteString.copyOf(new byte[31])));
    assertThrows(IllegalArgumentException.class, () -> new ActorId(ByteString.empty()));
    assertThrows(IllegalArgumentException.class, () -> new Digest(ByteString.copyOf(new byte[16])));
    assertEquals(new ChangeHash(ByteString.copyOf(new byte[32])), new ChangeHash(ByteString.copyOf(new byte[32])));
    assertThrows(IllegalArgumentException.class, () -> new LogEntry("alice", 0, ByteString.empty()));
    assertThrows(IllegalArgumentException.class, () -> new SeqRange("alice", 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new OfferResult(OfferResult.Status.APPENDED, List.of()));
    byte[] raw = {1, 2, 3};
    ByteString b = ByteString.copyOf(raw);
    raw[0] = 9;
    assertEquals("010203", b.hex());
  }

  private static List<String> numbered(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("x" + i);
    }
    return out;
  }
}
