package dev.mnode.node.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Placeholders, findings, the policy's actions, and that no redacted value escapes. */
class RedactorTest {
  private static final Redactor REDACTOR = GuardModule.redactor();
  private static final String CARD = "4111 1111 1111 1111";
  private static final String EMAIL = "dana.lee@example.com";
  private static final String AWS_KEY = "AKIAQ3EGRT5YWZ7N2XKD";

  @Test
  void redact_replacesEachSpanByItsTypedPlaceholder() throws Exception {
    Redaction r = REDACTOR.redact(
        "key " + AWS_KEY + ", card " + CARD + ", mail " + EMAIL + ", again " + AWS_KEY,
        "other", RedactionPolicy.defaults());
    assertEquals("key [REDACTED:aws-key], card [REDACTED:credit-card], mail [REDACTED:email],"
        + " again [REDACTED:aws-key]", r.text());
    assertEquals(List.of(new Finding(RedactionType.AWS_KEY, 2),
        new Finding(RedactionType.CREDIT_CARD, 1), new Finding(RedactionType.EMAIL, 1)),
        r.findings());
  }

  @Test
  void redact_theExampleInTheDocs() throws Exception {
    Redaction r = REDACTOR.redact("Prod database: postgres://falcon_app:Tr0ub4dor&3x@db-prod.internal"
        + ":5432/falcon, key " + AWS_KEY, "work", RedactionPolicy.defaults());
    assertEquals("Prod database: postgres://falcon_app:[REDACTED:password]@db-prod.internal"
        + ":5432/falcon, key [REDACTED:aws-key]", r.text());
  }

  @Test
  void redact_isIdempotent_placeholdersAreNotFoundAgain() throws Exception {
    Redaction once = REDACTOR.redact("key " + AWS_KEY + " mail " + EMAIL + " card " + CARD,
        "other", RedactionPolicy.defaults());
    Redaction twice = REDACTOR.redact(once.text(), "other", RedactionPolicy.defaults());
    assertEquals(once.text(), twice.text());
    assertTrue(twice.isClean());
  }

  @Test
  void redact_cleanText_isUnchanged() throws Exception {
    String text = "Release v2.14.3 from commit 9f2c1e4 on 2024-03-15, colour #1e90ff.";
    Redaction r = REDACTOR.redact(text, "work", RedactionPolicy.defaults());
    assertEquals(text, r.text());
    assertTrue(r.isClean());
  }

  @Test
  void redact_keptTypes_stayAndAreNotListed() throws Exception {
    Redaction r = REDACTOR.redact("mail " + EMAIL + " card " + CARD, "personal",
        RedactionPolicy.defaults());
    assertEquals("mail " + EMAIL + " card [REDACTED:credit-card]", r.text());
    assertEquals(List.of(new Finding(RedactionType.CREDIT_CARD, 1)), r.findings());
  }

  @Test
  void redact_refusedType_throwsNamingTheTypeAndClass_butNotTheValue() throws Exception {
    RedactionPolicy policy = RedactionPolicy.parse(
        java.util.Map.of("classes", java.util.Map.of("work", java.util.Map.of("financial", "refuse"))));
    RedactionRefusedException e = assertThrows(RedactionRefusedException.class,
        () -> REDACTOR.redact("card " + CARD + " and " + EMAIL, "work", policy));
    assertEquals(RedactionType.CREDIT_CARD, e.type());
    assertEquals("work", e.memoryClass());
    assertTrue(e.getMessage().contains("credit-card"), e.getMessage());
    assertTrue(e.getMessage().contains("\"work\""), e.getMessage());
    assertFalse(e.getMessage().contains("4111"), e.getMessage());
    assertTrue(e instanceof dev.mnode.node.InvalidInputException);
    // Another class is not refused.
    assertEquals("card [REDACTED:credit-card] and " + EMAIL,
        REDACTOR.redact("card " + CARD + " and " + EMAIL, "personal", policy).text());
  }

  @Test
  void redaction_toStringAndFindings_holdNoRedactedValue() throws Exception {
    String secret = "sk_live_51Hx7Kq2mZ9vT4bN8cR1wYs3D";
    Redaction r = REDACTOR.redact("Stripe " + secret + " card " + CARD + " mail " + EMAIL,
        "other", RedactionPolicy.defaults());
    for (String s : List.of(r.toString(), r.findings().toString(), r.text())) {
      assertFalse(s.contains(secret), s);
      assertFalse(s.contains("4111"), s);
      assertFalse(s.contains("dana.lee"), s);
    }
  }

  @Test
  void scan_spansHoldOffsetsOnly_andDoNotOverlap() {
    String text = "postgres://app:" + EMAIL + "x@db.internal/app";
    List<Span> spans = REDACTOR.scan(text);
    assertEquals(1, spans.size());
    assertEquals(RedactionType.PASSWORD, spans.get(0).type());
    assertFalse(spans.toString().contains("dana"));
  }

  @Test
  void overlongText_isRejected() {
    String text = "a".repeat(Redactor.MAX_TEXT_CHARS + 1);
    assertThrows(IllegalArgumentException.class, () -> REDACTOR.scan(text));
  }
}
