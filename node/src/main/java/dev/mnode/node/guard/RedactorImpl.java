package dev.mnode.node.guard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every detector, resolves overlaps and applies a policy. Detectors are listed from most to
 * least specific; where two spans overlap, the one from the earlier detector wins (a JWT after
 * {@code Bearer} is a JWT, not a generic secret; a password inside a URL is not an e-mail
 * address), and between spans of one detector the earlier start wins. Immutable and thread-safe.
 */
final class RedactorImpl implements Redactor {
  private final List<Detector> detectors;

  RedactorImpl(List<Detector> detectors) {
    this.detectors = List.copyOf(detectors);
  }

  @Override
  public Redaction redact(String text, String memoryClass, RedactionPolicy policy)
      throws RedactionRefusedException {
    List<Span> spans = scan(text);
    for (Span s : spans) {
      if (policy.actionFor(memoryClass, s.type()) == RedactionPolicy.Action.REFUSE) {
        throw new RedactionRefusedException(s.type(), memoryClass);
      }
    }
    StringBuilder out = new StringBuilder(text.length());
    Map<RedactionType, Integer> counts = new EnumMap<>(RedactionType.class);
    int at = 0;
    for (Span s : spans) {
      if (policy.actionFor(memoryClass, s.type()) != RedactionPolicy.Action.REDACT) {
        continue;
      }
      out.append(text, at, s.start()).append(s.type().placeholder());
      at = s.end();
      counts.merge(s.type(), 1, Integer::sum);
    }
    out.append(text, at, text.length());
    List<Finding> findings = new ArrayList<>();
    counts.forEach((type, n) -> findings.add(new Finding(type, n)));
    return new Redaction(out.toString(), findings);
  }

  @Override
  public List<Span> scan(String text) {
    if (text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "text is " + text.length() + " chars; the limit is " + MAX_TEXT_CHARS);
    }
    List<Span> accepted = new ArrayList<>();
    List<Span> found = new ArrayList<>();
    for (Detector d : detectors) {
      found.clear();
      d.find(text, found);
      found.sort(Comparator.comparingInt(Span::start));
      for (Span s : found) {
        if (accepted.stream().noneMatch(s::overlaps)) {
          accepted.add(s);
        }
      }
    }
    accepted.sort(Comparator.comparingInt(Span::start));
    return List.copyOf(accepted);
  }
}
