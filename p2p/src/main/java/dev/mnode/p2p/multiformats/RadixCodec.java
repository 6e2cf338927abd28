package dev.mnode.p2p.multiformats;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.util.Arrays;

/**
 * Big-number text encodings (base58btc, base36): the bytes read as one unsigned big-endian number
 * written in the alphabet's digits, with each leading zero byte written as the alphabet's first
 * character. Every byte string has exactly one encoding.
 *
 * <p>Both directions are quadratic in the length, so decoding refuses text longer than a fixed
 * bound. Immutable and thread-safe.
 */
final class RadixCodec {
  private final String name;
  private final char[] alphabet;
  private final byte[] digitOf = new byte[128];
  private final int maxChars;

  RadixCodec(String name, String alphabet, int maxChars) {
    this.name = name;
    this.alphabet = alphabet.toCharArray();
    this.maxChars = maxChars;
    Arrays.fill(digitOf, (byte) -1);
    for (int i = 0; i < this.alphabet.length; i++) {
      digitOf[this.alphabet[i]] = (byte) i;
    }
  }

  String encode(byte[] data) {
    int radix = alphabet.length;
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    // Digits of the number, least significant first; the size bound is log_radix(256^n) + slack.
    int[] digits = new int[(int) ((data.length - zeros) * Math.log(256) / Math.log(radix)) + 2];
    int used = 0;
    for (int i = zeros; i < data.length; i++) {
      int carry = data[i] & 0xff;
      int j = 0;
      for (; j < used || carry != 0; j++) {
        carry += (j < used ? digits[j] : 0) * 256;
        digits[j] = carry % radix;
        carry /= radix;
      }
      used = j;
    }
    StringBuilder sb = new StringBuilder(zeros + used);
    for (int i = 0; i < zeros; i++) {
      sb.append(alphabet[0]);
    }
    for (int i = used - 1; i >= 0; i--) {
      sb.append(alphabet[digits[i]]);
    }
    return sb.toString();
  }

  byte[] decode(CharSequence text) throws MultiformatException {
    if (text.length() > maxChars) {
      throw new MultiformatException(
          Reason.TOO_LONG,
          name + " text has " + text.length() + " characters, more than " + maxChars);
    }
    int radix = alphabet.length;
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == alphabet[0]) {
      zeros++;
    }
    // Bytes of the number, least significant first; log_256(radix^n) + slack.
    byte[] bytes = new byte[(int) ((text.length() - zeros) * Math.log(radix) / Math.log(256)) + 2];
    int used = 0;
    for (int i = zeros; i < text.length(); i++) {
      char c = text.charAt(i);
      int carry = c < 128 ? digitOf[c] : -1;
      if (carry < 0) {
        throw new MultiformatException(
            Reason.MALFORMED,
            name
                + " text has the invalid character '"
                + MultiformatException.excerpt(String.valueOf(c))
                + "' at index "
                + i);
      }
      int j = 0;
      for (; j < used || carry != 0; j++) {
        carry += (j < used ? bytes[j] & 0xff : 0) * radix;
        bytes[j] = (byte) carry;
        carry >>>= 8;
      }
      used = j;
    }
    byte[] out = new byte[zeros + used];
    for (int i = 0; i < used; i++) {
      out[zeros + i] = bytes[used - 1 - i];
    }
    return out;
  }
}
