package dev.mnode.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the DATE of {@code --since} and {@code --until}: an ISO-8601 instant or offset date-time
 * ({@code 2026-11-26T10:00:00Z}), a local date-time or date read as UTC ({@code 2026-11-26}), or a
 * span back from now ({@code 90m}, {@code 24h}, {@code 7d}, {@code 2w}).
 */
final class Dates {
  private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhdw])");

  private Dates() {}

  static Instant parse(String s, Clock clock) throws CliException {
    String t = s.strip();
    Matcher m = AGO.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return clock.instant().minus(d);
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new CliException(
          2,
          "invalid_date",
          "not a date: \"" + s + "\" (use 2026-11-26, 2026-11-26T10:00:00Z, or 7d / 24h / 30m ago)");
    }
  }

  /** How long before {@code now} {@code t} was, roughly: "12s ago", "5m ago", "3h ago", "2d ago". */
  static String ago(Instant t, Instant now) {
    long s = Math.max(0, java.time.Duration.between(t, now).toSeconds());
    if (s < 60) {
      return s + "s ago";
    }
    if (s < 3600) {
      return s / 60 + "m ago";
    }
    if (s < 86_400) {
      return s / 3600 + "h ago";
    }
    return s / 86_400 + "d ago";
  }
}
