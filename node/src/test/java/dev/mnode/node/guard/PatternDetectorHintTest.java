package dev.mnode.node.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The literal a detector requires lets it skip texts without one, and never a text with one. */
class PatternDetectorHintTest {
  @Test
  void containsIgnoringCase_findsTheLiteralAnywhere_inAnyCase() {
    assertTrue(PatternDetector.containsIgnoringCase("Authorization: BEARER x", "bearer"));
    assertTrue(PatternDetector.containsIgnoringCase("ends with Token", "token"));
    assertTrue(PatternDetector.containsIgnoringCase("token", "token"));
    assertFalse(PatternDetector.containsIgnoringCase("toke", "token"));
    assertFalse(PatternDetector.containsIgnoringCase("", "token"));
  }

  @Test
  void aDetectorWithALiteral_skipsTextsWithoutIt_andFindsTheSameInTextsWithIt() {
    PatternDetector plain = new PatternDetector(RedactionType.NPM_TOKEN, "npm_[A-Za-z0-9]{36}", 0, s -> true);
    PatternDetector hinted = plain.onlyWith("npm_");
    String token = "npm_" + "a1B2c3D4e5".repeat(3) + "f6G7h8";
    for (String text : List.of("publish with " + token, token, "x " + token + " and " + token)) {
      List<Span> a = new ArrayList<>();
      List<Span> b = new ArrayList<>();
      plain.find(text, a);
      hinted.find(text, b);
      assertEquals(a, b, text);
      assertFalse(b.isEmpty(), text);
    }
    assertFalse(hinted.mayMatch("no token here"));
    assertTrue(plain.mayMatch("no token here"));
  }
}
