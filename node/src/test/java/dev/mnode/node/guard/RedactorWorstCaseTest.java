package dev.mnode.node.guard;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Texts of the maximum length made of what the detectors' patterns look for are scanned in bounded
 * time: no pattern backtracks without limit or recurses once per character (which overflows the
 * stack in java.util.regex). Each took at most 0.6 s when written; the bound is loose because
 * build machines are shared.
 */
class RedactorWorstCaseTest {
  private static final Duration BOUND = Duration.ofSeconds(5);

  @Test
  void scan_maximumLengthAdversarialTexts_finishInBoundedTime() {
    int n = Redactor.MAX_TEXT_CHARS;
    List<String> texts = List.of(
        "a".repeat(n),
        "1".repeat(n),
        "1 ".repeat(n / 2),
        "a.".repeat(n / 2),
        fill("-----BEGIN PRIVATE KEY-----\nAAAA", n),
        fill("password=", n),
        fill("aws secret ", n),
        fill("x@y.", n),
        fill("DE89 ", n),
        fill("eyJhbGciOiJIUzI1NiJ9.", n),
        fill("postgres://u:", n),
        fill("+1 415 ", n),
        fill("Bearer ", n));
    for (String text : texts) {
      assertTrue(text.length() <= n);
      assertTimeoutPreemptively(BOUND, () -> GuardModule.redactor().scan(text),
          () -> "slow on a text starting " + text.substring(0, 20).replace("\n", "\\n"));
    }
  }

  private static String fill(String unit, int max) {
    return unit.repeat(max / unit.length());
  }
}
