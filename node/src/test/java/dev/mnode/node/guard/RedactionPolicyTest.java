package dev.mnode.node.guard;

import static dev.mnode.node.guard.RedactionPolicy.Action.KEEP;
import static dev.mnode.node.guard.RedactionPolicy.Action.REDACT;
import static dev.mnode.node.guard.RedactionPolicy.Action.REFUSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in defaults, the order in which rules apply, and the configuration's validation. */
class RedactionPolicyTest {
  private static final RedactionPolicy DEFAULTS = RedactionPolicy.defaults();

  @Test
  void defaults_redactSecretsAndCardsEverywhere() {
    for (String c : List.of("personal", "work", "health", "financial", "other", "my-class")) {
      for (RedactionType t : RedactionType.values()) {
        if (t.category() == RedactionType.Category.SECRET || t == RedactionType.CREDIT_CARD) {
          assertEquals(REDACT, DEFAULTS.actionFor(c, t), c + " " + t);
        }
      }
    }
  }

  @Test
  void defaults_keepContactsInPersonalAndWork_only() {
    assertEquals(KEEP, DEFAULTS.actionFor("personal", RedactionType.EMAIL));
    assertEquals(KEEP, DEFAULTS.actionFor("work", RedactionType.PHONE));
    assertEquals(REDACT, DEFAULTS.actionFor("health", RedactionType.EMAIL));
    assertEquals(REDACT, DEFAULTS.actionFor("other", RedactionType.PHONE));
    assertEquals(REDACT, DEFAULTS.actionFor("my-class", RedactionType.EMAIL));
  }

  @Test
  void defaults_keepIbansInFinancial_only() {
    assertEquals(KEEP, DEFAULTS.actionFor("financial", RedactionType.IBAN));
    assertEquals(REDACT, DEFAULTS.actionFor("personal", RedactionType.IBAN));
  }

  @Test
  void parse_typeBeatsCategory_classBeatsDefault_configBeatsBuiltIn() throws Exception {
    RedactionPolicy p = RedactionPolicy.parse(Map.of(
        "default", Map.of("secrets", "refuse", "contact", "redact"),
        "classes", Map.of("work", Map.of("secrets", "redact", "aws-key", "keep"))));
    assertEquals(KEEP, p.actionFor("work", RedactionType.AWS_KEY));
    assertEquals(REDACT, p.actionFor("work", RedactionType.JWT));
    assertEquals(REFUSE, p.actionFor("personal", RedactionType.JWT));
    // The configured default beats the built-in class rule that keeps contacts in personal.
    assertEquals(REDACT, p.actionFor("personal", RedactionType.EMAIL));
    // Untouched entries fall back to the built-in rules.
    assertEquals(KEEP, p.actionFor("financial", RedactionType.IBAN));
  }

  @Test
  void parse_emptySection_isTheDefaults() throws Exception {
    RedactionPolicy p = RedactionPolicy.parse(Map.of());
    for (RedactionType t : RedactionType.values()) {
      assertEquals(DEFAULTS.actionFor("personal", t), p.actionFor("personal", t));
    }
  }

  @Test
  void parse_typos_areErrorsNamingTheKey() {
    assertMessage("defaults", Map.of("defaults", Map.of()));
    assertMessage("emial", Map.of("default", Map.of("emial", "keep")));
    assertMessage("redaction.classes.work.email", Map.of("classes", Map.of("work", Map.of("email", "hide"))));
    assertMessage("expected an object", Map.of("classes", "work"));
  }

  @Test
  void redactAll_overridesTheBuiltInKeeps() {
    for (RedactionType t : RedactionType.values()) {
      assertEquals(REDACT, RedactionPolicy.redactAll().actionFor("personal", t));
      assertEquals(REDACT, RedactionPolicy.redactAll().actionFor("financial", t));
    }
  }

  private static void assertMessage(String part, Map<String, ?> section) {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> RedactionPolicy.parse(section));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
