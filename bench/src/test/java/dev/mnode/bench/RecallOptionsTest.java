package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecallOptionsTest {
  @Test
  void everyModelOnTheWholeCorpusByDefault() {
    RecallOptions o = RecallOptions.parse(List.of());
    assertFalse(o.quick());
    assertEquals(List.of("minilm", "bge-small"), o.models());
  }

  @Test
  void quickJsonAndOneModelOnRequest() {
    RecallOptions o = RecallOptions.parse(List.of("--quick", "--model", "bge-small", "--json"));
    assertTrue(o.quick());
    assertTrue(o.json());
    assertEquals(List.of("bge-small"), o.models());
    assertEquals(RecallOptions.MODELS, RecallOptions.parse(List.of("--model", "all")).models());
  }

  @Test
  void refusesUnknownModelsAndArguments() {
    assertThrows(IllegalArgumentException.class, () -> RecallOptions.parse(List.of("--model", "gpt")));
    assertThrows(IllegalArgumentException.class, () -> RecallOptions.parse(List.of("--model")));
    assertThrows(IllegalArgumentException.class, () -> RecallOptions.parse(List.of("--fast")));
  }
}
