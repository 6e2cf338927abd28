package dev.mnode.node.guard;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.EmailValidator;

/**
 * E-mail addresses: a permissive pattern finds candidates and commons-validator decides, which
 * rejects file names such as {@code logo@2x.png} because their "domain" has no real top-level
 * domain. An scp-style address followed by a colon ({@code git@github.com:org/repo.git}) is a
 * host, not a person's address, and is left alone.
 */
final class EmailDetector implements Detector {
  private static final Pattern CANDIDATE = Pattern.compile(
      "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){1,8}");
  private static final EmailValidator VALIDATOR = EmailValidator.getInstance(false, false);

  @Override
  public void find(String text, List<Span> out) {
    if (text.indexOf('@') < 0) {
      return; // every candidate holds one; most texts none
    }
    Matcher m = CANDIDATE.matcher(text);
    while (m.find()) {
      int end = m.end();
      boolean scp = end + 1 < text.length() && text.charAt(end) == ':'
          && !Character.isWhitespace(text.charAt(end + 1));
      if (!scp && VALIDATOR.isValid(m.group())) {
        out.add(new Span(RedactionType.EMAIL, m.start(), end));
      }
    }
  }
}
