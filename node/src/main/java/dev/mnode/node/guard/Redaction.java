package dev.mnode.node.guard;

import java.util.List;

/**
 * The outcome of {@link Redactor#redact}: the text with every redacted span replaced by its
 * placeholder, and per type how many spans were replaced (in the order of {@link RedactionType}).
 * Spans that the policy keeps are neither replaced nor listed. Immutable; holds no redacted value.
 */
public record Redaction(String text, List<Finding> findings) {
  public Redaction {
    findings = List.copyOf(findings);
  }

  /** True when nothing was replaced. */
  public boolean isClean() {
    return findings.isEmpty();
  }
}
