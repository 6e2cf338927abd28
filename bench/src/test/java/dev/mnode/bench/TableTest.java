package dev.mnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void alignsTextLeftAndNumbersRight() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    new Table("T", 1, "name", "n")
        .row("a", "1,000")
        .row("longer", "7")
        .print(new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertEquals(
        String.join(
            System.lineSeparator(),
            "T",
            "  name        n",
            "  a       1,000",
            "  longer      7",
            "",
            ""),
        buf.toString(StandardCharsets.UTF_8));
  }

  @Test
  void refusesRaggedRows() {
    assertThrows(IllegalArgumentException.class, () -> new Table("T", 1, "a", "b").row("x"));
  }
}
