package dev.mnode.node.guard;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM and OpenPGP armoured private keys: from the {@code -----BEGIN ... PRIVATE KEY-----} line to
 * its matching {@code END} line; when the end is missing (a pasted key cut short), through the
 * base64 that follows the header.
 */
final class PrivateKeyDetector implements Detector {
  private static final Pattern BEGIN =
      Pattern.compile("-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY( BLOCK)?-----");
  private static final Pattern BODY = Pattern.compile("[A-Za-z0-9+/=:,\\-\\s\\\\]*");
  /** Longer than any real key (an RSA-16384 PEM is about 12 KiB). */
  private static final int MAX_KEY_CHARS = 16 * 1024;

  @Override
  public void find(String text, List<Span> out) {
    Matcher begin = BEGIN.matcher(text);
    int from = 0;
    while (from < text.length() && begin.find(from)) {
      String endLine = "-----END " + begin.group(1) + "PRIVATE KEY"
          + (begin.group(2) == null ? "" : begin.group(2)) + "-----";
      int limit = Math.min(text.length(), begin.end() + MAX_KEY_CHARS);
      int endAt = text.indexOf(endLine, begin.end());
      int end;
      if (endAt >= 0 && endAt < limit) {
        end = endAt + endLine.length();
      } else {
        Matcher body = BODY.matcher(text).region(begin.end(), limit);
        end = body.lookingAt() ? body.end() : begin.end();
        while (end > begin.end() && Character.isWhitespace(text.charAt(end - 1))) {
          end--;
        }
      }
      out.add(new Span(RedactionType.PRIVATE_KEY, begin.start(), end));
      from = end;
    }
  }
}
