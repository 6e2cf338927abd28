package dev.mnode.node.guard;

import java.util.List;

/**
 * Finds secrets, financial numbers and contact details in a memory's text and applies a {@link
 * RedactionPolicy}. Implementations are thread-safe and hold no state between calls; build one
 * with {@link GuardModule#redactor()}.
 */
public interface Redactor {
  /** The longest text accepted, in chars; memories are at most 64 KiB of UTF-8. */
  int MAX_TEXT_CHARS = 64 * 1024;

  /**
   * Applies {@code policy} for {@code memoryClass} to {@code text}: each span whose action is
   * {@link RedactionPolicy.Action#REDACT} becomes its type's placeholder, spans to keep stay as
   * they are.
   *
   * @return the new text and, per redacted type, the number of spans replaced
   * @throws RedactionRefusedException if the policy refuses a type found in the text; the
   *     exception names the first such type in text order and never its value
   * @throws IllegalArgumentException if {@code text} is longer than {@link #MAX_TEXT_CHARS}
   */
  Redaction redact(String text, String memoryClass, RedactionPolicy policy)
      throws RedactionRefusedException;

  /**
   * Everything this redactor detects in {@code text}, whatever any policy says: non-overlapping
   * spans in text order.
   *
   * @throws IllegalArgumentException if {@code text} is longer than {@link #MAX_TEXT_CHARS}
   */
  List<Span> scan(String text);
}
