package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.store.Memory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remember without a class: the node proposes one, records how, and flags what it is unsure of. */
class ClassifyOnRememberTest {
  @TempDir Path tmp;

  private final TestClock clock = new TestClock("2026-11-26T10:00:00Z");
  private MemoryService svc;

  @BeforeEach
  void setUp() throws Exception {
    svc = NodeTestSupport.init(tmp, "home", clock);
  }

  @AfterEach
  void tearDown() {
    svc.close();
  }

  private Remembered remember(String text) throws NodeException {
    return svc.remember(MemoryDraft.of(text), false);
  }

  @Test
  void clearText_getsItsClass_withConfidence_andAutoSource() throws Exception {
    Memory m = remember("Takes 20 mg of atorvastatin every evening for cholesterol.").memory();
    assertEquals("health", m.memoryClass().name());
    assertEquals(ClassMetadata.AUTO, ClassMetadata.source(m));
    assertTrue(ClassMetadata.confidence(m) >= 0.5, m.metadata().toString());
    assertFalse(ClassMetadata.flagged(m));
    assertEquals(m, svc.get(m.id().toString()), "what is stored is what was returned");

    ObjectNode json = MemoryJson.remembered(new Remembered(m, false));
    assertEquals("health", json.get("class").textValue());
    assertEquals("auto", json.get("class_source").textValue());
    assertEquals(ClassMetadata.confidence(m), json.get("confidence").doubleValue());
    assertFalse(json.get("review").booleanValue());
  }

  @Test
  void namedClass_isTheWritersChoice_confidenceOne_noRecord() throws Exception {
    Memory m = svc.remember(new MemoryDraft("Takes 20 mg of atorvastatin.", "work", List.of(), null, null, false, Map.of(), List.of()), false).memory();
    assertEquals("work", m.memoryClass().name());
    assertEquals(Map.of(), m.metadata());
    ObjectNode json = MemoryJson.remembered(new Remembered(m, false));
    assertEquals("user", json.get("class_source").textValue());
    assertEquals(1.0, json.get("confidence").doubleValue());
  }

  @Test
  void unsureText_goesToOther_flagged_withItsProposal_andReviewSettlesIt() throws Exception {
    Memory m = remember("zq").memory();
    assertEquals("other", m.memoryClass().name());
    assertTrue(ClassMetadata.flagged(m), m.metadata().toString());
    assertTrue(ClassMetadata.proposed(m).isPresent());
    assertTrue(ClassMetadata.confidence(m) < 0.5);

    Memory settled = svc.update(m.id().toString(),
        new MemoryPatch(null, "personal", null, null, null, null, ClassMetadata.chosen(true), null));
    assertEquals("personal", settled.memoryClass().name());
    assertFalse(ClassMetadata.flagged(settled));
    assertEquals(Map.of(ClassMetadata.SOURCE, ClassMetadata.BY_REVIEW), settled.metadata());
    assertTrue(ClassMetadata.isExample(settled));
  }

  @Test
  void updateNamingAClass_clearsTheClassifiersRecord() throws Exception {
    Memory m = remember("Blood pressure was 135 over 85 at the pharmacy.").memory();
    assertEquals(ClassMetadata.AUTO, ClassMetadata.source(m));
    Memory u = svc.update(m.id().toString(), new MemoryPatch(null, "personal", null, null, null, null, Map.of(), null));
    assertEquals(Map.of(), u.metadata());
    assertEquals(ClassMetadata.USER, ClassMetadata.source(u));
  }

  @Test
  void proposal_staysWithinTheWritableClasses() throws Exception {
    Memory m = svc.remember(MemoryDraft.of("Takes 20 mg of atorvastatin every evening."), true, Set.of("work", "financial")).memory();
    assertTrue(Set.of("work", "financial").contains(m.memoryClass().name()), m.memoryClass().name());
    assertThrows(InvalidInputException.class,
        () -> svc.remember(MemoryDraft.of("anything"), true, Set.of()));
  }

  @Test
  void classifiedExamples_teachAClassTheUserAdded() throws Exception {
    svc.addClass("garden");
    for (String t : List.of(
        "Planted the tomato seedlings in the raised bed on the balcony.",
        "The roses need pruning in early March.",
        "Compost should be turned every two weeks.",
        "Slugs ate the lettuce again; try copper tape.")) {
      svc.remember(new MemoryDraft(t, "garden", List.of(), null, null, false, Map.of(), List.of()), true);
    }
    Memory m = remember("Sow the basil and parsley seeds indoors in April.").memory();
    assertEquals("garden", m.memoryClass().name(), m.metadata().toString());
  }

  @Test
  void autoClassified_memories_areNotExamples() throws Exception {
    Memory m = remember("Takes 20 mg of atorvastatin every evening for cholesterol.").memory();
    assertFalse(ClassMetadata.isExample(m));
  }
}
