package dev.mnode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar draws on the stream it is given and ends its line on finish(). */
class ProgressBarTest {
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);

  private String drawn() {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void progress_drawsABar_withPercentage_onItsStream() {
    ProgressBar bar = new ProgressBar(err, "memories");
    bar.progress("writing", 50, 100);
    String s = drawn();
    assertTrue(s.startsWith("\rwriting"), s);
    assertTrue(s.contains("[" + "#".repeat(12) + ".".repeat(12) + "]"), s);
    assertTrue(s.contains(" 50%"), s);
    assertTrue(s.contains("50/100 memories"), s);
    assertFalse(s.contains("\n"), "the bar redraws in place: " + s);
  }

  @Test
  void finish_endsTheLine() {
    ProgressBar bar = new ProgressBar(err, "memories");
    bar.progress("writing", 100, 100);
    bar.finish();
    String s = drawn();
    assertTrue(s.contains("100%"), s);
    assertTrue(s.contains("[" + "#".repeat(24) + "]"), s);
    assertTrue(s.endsWith(System.lineSeparator()), s);
    assertEquals(1, s.split("\n", -1).length - 1, "exactly one line end: " + s);
  }

  @Test
  void finish_withoutAnyProgress_printsNothing() {
    new ProgressBar(err, "memories").finish();
    assertEquals("", drawn());
  }

  @Test
  void quickUpdates_areThrottled_butTheLastAlwaysDraws() {
    ProgressBar bar = new ProgressBar(err, "memories");
    bar.progress("writing", 1, 1000);
    bar.progress("writing", 2, 1000);
    bar.progress("writing", 3, 1000);
    assertEquals(1, drawn().chars().filter(c -> c == '\r').count(), drawn());
    bar.progress("writing", 1000, 1000);
    String s = drawn();
    assertEquals(2, s.chars().filter(c -> c == '\r').count(), s);
    assertTrue(s.substring(s.lastIndexOf('\r')).contains("100%"), s);
  }

  @Test
  void readingPhase_showsKiB() {
    new ProgressBar(err, "memories").progress("reading", 512 * 1024, 1024 * 1024);
    String s = drawn();
    assertTrue(s.contains(" 50%"), s);
    assertTrue(s.contains("512/1,024 KiB"), s);
  }

  @Test
  void unknownTotal_showsTheCount_withoutPercentage() {
    new ProgressBar(err, "memories").progress("reading", 12_345, -1);
    String s = drawn();
    assertTrue(s.contains("12,345"), s);
    assertFalse(s.contains("%"), s);
    assertFalse(s.contains("["), s);
  }
}
