package dev.mnode.node.guard;

/** Measures of how random a candidate token looks. */
final class Entropy {
  private Entropy() {}

  /** Shannon entropy of the characters of {@code s}, in bits per character. */
  static double bitsPerChar(CharSequence s) {
    if (s.length() == 0) {
      return 0;
    }
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double bits = 0;
    double n = s.length();
    for (int c : counts) {
      if (c > 0) {
        double p = c / n;
        bits -= p * Math.log(p) / Math.log(2);
      }
    }
    if (other > 0) {
      double p = other / n;
      bits -= p * Math.log(p) / Math.log(2);
    }
    return bits;
  }

  /** True when {@code s} has at least one letter and one digit. */
  static boolean hasLetterAndDigit(CharSequence s) {
    boolean letter = false;
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      letter |= Character.isLetter(c);
      digit |= Character.isDigit(c);
    }
    return letter && digit;
  }

  /** True when {@code s} has both an upper-case and a lower-case letter. */
  static boolean hasMixedCase(CharSequence s) {
    boolean upper = false;
    boolean lower = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      upper |= Character.isUpperCase(c);
      lower |= Character.isLowerCase(c);
    }
    return upper && lower;
  }
}
