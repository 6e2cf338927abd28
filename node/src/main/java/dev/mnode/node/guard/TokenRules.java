package dev.mnode.node.guard;

import static dev.mnode.node.guard.RedactionType.ANTHROPIC_KEY;
import static dev.mnode.node.guard.RedactionType.AWS_KEY;
import static dev.mnode.node.guard.RedactionType.AWS_SECRET;
import static dev.mnode.node.guard.RedactionType.GENERIC_SECRET;
import static dev.mnode.node.guard.RedactionType.GITHUB_TOKEN;
import static dev.mnode.node.guard.RedactionType.GITLAB_TOKEN;
import static dev.mnode.node.guard.RedactionType.GOOGLE_API_KEY;
import static dev.mnode.node.guard.RedactionType.NPM_TOKEN;
import static dev.mnode.node.guard.RedactionType.OPENAI_KEY;
import static dev.mnode.node.guard.RedactionType.PASSWORD;
import static dev.mnode.node.guard.RedactionType.PYPI_TOKEN;
import static dev.mnode.node.guard.RedactionType.SENDGRID_KEY;
import static dev.mnode.node.guard.RedactionType.SLACK_TOKEN;
import static dev.mnode.node.guard.RedactionType.STRIPE_KEY;
import static dev.mnode.node.guard.RedactionType.TWILIO_KEY;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The token formats of common providers, written from their published documentation of key
 * prefixes and lengths, and the generic rules for {@code Bearer} values and key assignments.
 * Provider rules come first: where a generic rule finds the same characters, the provider's type
 * wins (see {@link RedactorImpl}).
 */
final class TokenRules {
  private TokenRules() {}

  /** Not preceded by a character that could continue a token. */
  private static final String B = "(?<![A-Za-z0-9_-])";
  /** Not followed by a character that could continue a token. */
  private static final String E = "(?![A-Za-z0-9_-])";

  /** Names of credentials that are not ordinary words. */
  private static final String KEY_NAMES = "api[ _-]?key|apikey|api[ _-]?secret|api[ _-]?token"
      + "|access[ _-]?token|auth[ _-]?token|secret[_-]?key|client[_-]?secret|app[_-]?secret"
      + "|private[_-]?token|session[_-]?token";
  /** A credential's value, with base64 padding. */
  private static final String VALUE = "([A-Za-z0-9_./+~-]{16,}={0,2})";

  /** Values that stand for a secret in documentation, not a secret. */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("(?i)^(?:\\$\\{.*\\}|\\$[A-Z_]+|<.*>|\\{\\{.*\\}\\}|\\*+|x+|\\.+|%[A-Z_]+%|"
          + "changeme|password|secret|redacted|null|none|empty|example|your[_-]?password)$");

  /** Provider formats, most specific first. */
  static List<Detector> providers() {
    return List.of(
        // AWS access key ids: a four-letter kind prefix and 16 base-32 characters.
        new PatternDetector(AWS_KEY,
            "(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Z0-9])").onlyWith("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        new PatternDetector(GITHUB_TOKEN,
            B + "(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})" + E).onlyWith("gh", "github_pat_"),
        new PatternDetector(GITLAB_TOKEN,
            B + "gl(?:pat|dt|ptt|rt|soat|cbt|ft)-[A-Za-z0-9_-]{20,64}" + E).onlyWith("gl"),
        new PatternDetector(SLACK_TOKEN,
            B + "(?:xox[abposr]-[A-Za-z0-9-]{10,250}|xapp-\\d-[A-Z0-9]{6,}-\\d{6,}-[a-z0-9]{32,})" + E).onlyWith("xox", "xapp-"),
        new PatternDetector(SLACK_TOKEN,
            "hooks\\.slack\\.com/(?:services|workflows)/(T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,})",
            1, s -> true).onlyWith("hooks.slack.com/"),
        new PatternDetector(STRIPE_KEY,
            B + "(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,99}|whsec_[A-Za-z0-9]{32,})" + E).onlyWith("sk_", "rk_", "whsec_"),
        // Anthropic before OpenAI: both start with "sk-".
        new PatternDetector(ANTHROPIC_KEY, B + "sk-ant-(?:api|admin|sid)\\d{2}-[A-Za-z0-9_-]{80,120}" + E).onlyWith("sk-ant-"),
        new PatternDetector(OPENAI_KEY,
            B + "sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}"
                + "|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})" + E).onlyWith("sk-"),
        new PatternDetector(GOOGLE_API_KEY, B + "AIza[0-9A-Za-z_-]{35}" + E).onlyWith("AIza"),
        new PatternDetector(TWILIO_KEY, "(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])").onlyWith("SK"),
        new PatternDetector(TWILIO_KEY,
            "(?i)twilio\\W{0,3}(?:\\w+\\W{1,3}){0,3}?auth\\W?token\\W{0,5}([0-9a-f]{32})(?![0-9a-z])",
            1, s -> true).onlyWithIgnoringCase("twilio"),
        new PatternDetector(SENDGRID_KEY, B + "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" + E).onlyWith("SG."),
        new PatternDetector(NPM_TOKEN, B + "npm_[A-Za-z0-9]{36}" + E).onlyWith("npm_"),
        // A PyPI token is a macaroon whose base64 starts with the encoding of "pypi.org" (or
        // "test.pypi.org").
        new PatternDetector(PYPI_TOKEN,
            B + "pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}" + E).onlyWith("pypi-"),
        // An AWS secret access key has no prefix: 40 characters of base64, only near words
        // that name it ...
        new PatternDetector(AWS_SECRET,
            "(?i)(?:aws|amazon)[^\\n]{0,60}?secret[\\w .-]{0,40}?[\"']?\\s*(?:[:=]|is|->|=>)?\\s*[\"']?"
                + "(?-i)(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            1, TokenRules::awsSecretLooking).onlyWithIgnoringCase("aws", "amazon"),
        // ... or right after an access key id, as the pair is usually pasted.
        new PatternDetector(AWS_SECRET,
            "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}[^\\n]{0,20}?"
                + "(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
            1, TokenRules::awsSecretLooking).onlyWith("AKIA", "ASIA"));
  }

  /**
   * Values of credentials given by name: {@code Bearer} tokens, {@code api_key=}-style
   * assignments with a random-looking value, and {@code password=} assignments.
   */
  static List<Detector> generic() {
    return List.of(
        new PatternDetector(GENERIC_SECRET,
            "(?i)\\bbearer\\s+([A-Za-z0-9._~+/-]{16,}=*)", 1, TokenRules::randomLooking).onlyWithIgnoringCase("bearer"),
        new PatternDetector(GENERIC_SECRET,
            "(?i)(?<![A-Za-z0-9])(?:" + KEY_NAMES + "|token|secret)[\"']?"
                + "(?:\\s*[:=]\\s*|\\s+is\\s+|\\s+(?=[\"']))[\"']?" + VALUE,
            1, TokenRules::randomLooking).onlyWithIgnoringCase("key", "secret", "token"),
        // The longer names are followed by the value alone, as in "Jenkins API token 11a2...".
        new PatternDetector(GENERIC_SECRET,
            "(?i)(?<![A-Za-z0-9])(?:" + KEY_NAMES + ")\\s+" + VALUE, 1, TokenRules::randomLooking).onlyWithIgnoringCase("key", "secret", "token"),
        new PatternDetector(PASSWORD,
            "(?i)(?<![A-Za-z0-9_])(?:password|passwd|passphrase|db_pass|pass)[\"']?\\s*[:=]\\s*[\"']?"
                + "([^\\s\"',;&]{6,128})",
            1, TokenRules::realPassword).onlyWithIgnoringCase("pass"),
        // "the password is hunter22": in prose, only a value with a digit or symbol.
        new PatternDetector(PASSWORD,
            "(?i)(?<![A-Za-z0-9_])(?:password|passwd|passphrase)\\s+is\\s+[\"']?([^\\s\"',;&]{6,128})",
            1, v -> realPassword(v) && !v.chars().allMatch(Character::isLetter)).onlyWithIgnoringCase("pass"),
        // mysql -u root -pSECRET: the client's password flag takes the value without a space.
        new PatternDetector(PASSWORD,
            "\\b(?:mysql|mysqldump|mysqladmin|mariadb)\\b[^\\n]{0,80}?\\s-p([^\\s-][^\\s]{3,127})",
            1, TokenRules::realPassword).onlyWith("mysql", "mariadb"),
        // user:password@ in a URL or connection string.
        new PatternDetector(PASSWORD,
            "\\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s:/@]{0,64}:([^\\s@/]{1,128})@[A-Za-z0-9\\[]",
            1, TokenRules::realPassword).onlyWith("://"));
  }

  private static boolean awsSecretLooking(String value) {
    return Entropy.bitsPerChar(value) > 4.0 && Entropy.hasMixedCase(value);
  }

  private static boolean randomLooking(String value) {
    String v = value;
    return v.length() >= 16
        && Entropy.hasLetterAndDigit(v)
        && Entropy.bitsPerChar(v) >= 3.5
        && !PLACEHOLDER.matcher(v).matches();
  }

  private static boolean realPassword(String value) {
    String v = value;
    return v.length() >= 4
        && !PLACEHOLDER.matcher(v).matches()
        && !v.startsWith("/")
        && !v.startsWith("~")
        && !v.toLowerCase(Locale.ROOT).startsWith("http");
  }
}
