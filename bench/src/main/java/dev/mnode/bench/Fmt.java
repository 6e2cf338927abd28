package dev.mnode.bench;

import java.util.Locale;

/** Rounding and number formats shared by the results and the tables. */
final class Fmt {
  private Fmt() {}

  /** Rounds {@code v} to {@code decimals} places, for tidy JSON. */
  static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  /** A whole number with thousands separators: {@code 100,000}. */
  static String count(double v) {
    return String.format(Locale.ROOT, "%,d", Math.round(v));
  }

  /** {@code v} with {@code decimals} places. */
  static String num(double v, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  /** Milliseconds as microseconds, no decimals. */
  static String micros(double ms) {
    return count(ms * 1_000);
  }
}
