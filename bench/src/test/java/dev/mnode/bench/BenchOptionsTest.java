package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void fullByDefaultQuickAndJsonOnRequest() {
    assertEquals(100_000, BenchOptions.parse(List.of()).plan().memories());
    BenchOptions o = BenchOptions.parse(List.of("--quick", "--json"));
    assertEquals(10_000, o.plan().memories());
    assertTrue(o.json());
  }

  @Test
  void refusesUnknownArguments() {
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--fast")));
  }
}
