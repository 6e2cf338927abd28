package dev.mnode.node.guard;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One regular expression for one type. The span is the expression's group {@code group} (0 for
 * the whole match) less trailing sentence punctuation; {@code check} must accept the span's text,
 * else the match is dropped.
 *
 * <p>A detector may name literals of which every match contains at least one ({@link
 * #onlyWith}): a text holding none of them is skipped without running the expression, which is
 * what keeps import fast (most texts hold no token prefix at all).
 */
final class PatternDetector implements Detector {
  private final RedactionType type;
  private final Pattern pattern;
  private final int group;
  private final Predicate<String> check;
  /** At least one of these occurs in any text the expression matches; empty: no such hint. */
  private final List<String> literals;
  /** Whether {@link #literals} are compared ignoring ASCII case. */
  private final boolean ignoreCase;

  PatternDetector(RedactionType type, String regex, int group, Predicate<String> check) {
    this(type, Pattern.compile(regex), group, check, List.of(), false);
  }

  private PatternDetector(
      RedactionType type, Pattern pattern, int group, Predicate<String> check, List<String> literals, boolean ignoreCase) {
    this.type = type;
    this.pattern = pattern;
    this.group = group;
    this.check = check;
    this.literals = ignoreCase ? literals.stream().map(PatternDetector::asciiLower).toList() : List.copyOf(literals);
    this.ignoreCase = ignoreCase;
  }

  /**
   * This detector, skipping texts that contain none of {@code anyOf} (exactly as written). Only
   * for literals that every match of the expression contains.
   */
  PatternDetector onlyWith(String... anyOf) {
    return new PatternDetector(type, pattern, group, check, List.of(anyOf), false);
  }

  /** As {@link #onlyWith}, comparing ASCII letters ignoring case (for a {@code (?i)} expression). */
  PatternDetector onlyWithIgnoringCase(String... anyOf) {
    return new PatternDetector(type, pattern, group, check, List.of(anyOf), true);
  }

  /** Whether the text holds one of the literals (always true without literals). */
  boolean mayMatch(String text) {
    if (literals.isEmpty()) {
      return true;
    }
    String in = ignoreCase ? lowered(text) : text;
    for (String l : literals) {
      if (in.contains(l)) {
        return true;
      }
    }
    return false;
  }

  static boolean containsIgnoringCase(String text, String literal) {
    return asciiLower(text).contains(asciiLower(literal));
  }

  /** The last text lowered on this thread: every detector of one scan asks for the same text. */
  private static final ThreadLocal<String[]> LOWERED = ThreadLocal.withInitial(() -> new String[2]);

  private static String lowered(String text) {
    String[] last = LOWERED.get();
    if (last[0] != text) {
      last[0] = text;
      last[1] = asciiLower(text);
    }
    return last[1];
  }

  /**
   * {@code s} with ASCII letters in lower case and every other character as it is: the folding a
   * {@code (?i)} expression does without UNICODE_CASE, so the hint never disagrees with it.
   */
  static String asciiLower(String s) {
    int i = 0;
    while (i < s.length() && !(s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    char[] c = s.toCharArray();
    for (; i < c.length; i++) {
      if (c[i] >= 'A' && c[i] <= 'Z') {
        c[i] = (char) (c[i] + 32);
      }
    }
    return new String(c);
  }

  PatternDetector(RedactionType type, String regex) {
    this(type, regex, 0, s -> true);
  }

  @Override
  public void find(String text, List<Span> out) {
    if (!mayMatch(text)) {
      return;
    }
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
