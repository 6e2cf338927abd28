package dev.mnode.node.guard;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One regular expression for one type. The span is the expression's group {@code group} (0 for
 * the whole match) less trailing sentence punctuation; {@code check} must accept the span's text,
 * else the match is dropped.
 */
final class PatternDetector implements Detector {
  private final RedactionType type;
  private final Pattern pattern;
  private final int group;
  private final Predicate<String> check;

  PatternDetector(RedactionType type, String regex, int group, Predicate<String> check) {
    this.type = type;
    this.pattern = Pattern.compile(regex);
    this.group = group;
    this.check = check;
  }

  PatternDetector(RedactionType type, String regex) {
    this(type, regex, 0, s -> true);
  }

  @Override
  public void find(String text, List<Span> out) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      int start = m.start(group);
      int end = m.end(group);
      // A sentence may end right after a value whose alphabet includes the full stop.
      while (end > start && ".,;:)".indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      if (start >= 0 && end > start && check.test(text.substring(start, end))) {
        out.add(new Span(type, start, end));
      }
    }
  }

  @Override
  public String toString() {
    return "PatternDetector[" + type.id() + "]";
  }
}
