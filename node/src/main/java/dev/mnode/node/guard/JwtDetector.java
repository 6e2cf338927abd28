package dev.mnode.node.guard;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON Web Tokens in compact form: three base64url parts, the first two JSON objects (so starting
 * {@code eyJ}); the header must decode and name an {@code alg}.
 */
final class JwtDetector implements Detector {
  private static final Pattern JWT = Pattern.compile(
      "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,})\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])");

  @Override
  public void find(String text, List<Span> out) {
    if (!text.contains("eyJ")) {
      return; // every match starts with one; most texts none
    }
    Matcher m = JWT.matcher(text);
    while (m.find()) {
      if (headerNamesAlg(m.group(1))) {
        out.add(new Span(RedactionType.JWT, m.start(), m.end()));
      }
    }
  }

  private static boolean headerNamesAlg(String part) {
    try {
      String json = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
      return json.startsWith("{") && json.contains("\"alg\"");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
