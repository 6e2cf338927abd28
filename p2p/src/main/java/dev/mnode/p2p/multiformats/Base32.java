package dev.mnode.p2p.multiformats;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;

/**
 * RFC 4648 base32 ({@code a-z 2-7}) without padding, as multibase {@code b} uses it: written in
 * lowercase, read in either case (multibase calls base32 case-insensitive and its test vectors mix
 * cases).
 *
 * <pre>
 *   bytes:  |76543210|76543210|76543210|76543210|76543210|
 *   chars:  |43210|43210|43210|43210|43210|43210|43210|43210|
 * </pre>
 *
 * <p>Decoding is strict so that it is canonical up to case: padding, lengths no byte string encodes
 * to (1, 3 or 6 characters past a multiple of 8) and non-zero unused bits in the last character are
 * rejected. Stateless and thread-safe.
 */
public final class Base32 {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private Base32() {}

  /** Returns the lowercase, unpadded base32 text of {@code data} (empty for no bytes). */
  public static String encode(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  /**
   * Decodes unpadded base32 text in either case.
   *
   * @throws MultiformatException MALFORMED for a character outside the alphabet (padding included),
   *     a length no byte string encodes to, or non-zero unused trailing bits
   */
  public static byte[] decode(CharSequence text) throws MultiformatException {
    int tail = text.length() % 8;
    if (tail == 1 || tail == 3 || tail == 6) {
      throw new MultiformatException(
          Reason.MALFORMED,
          "base32 text of " + text.length() + " characters cannot be unpadded base32");
    }
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      int v = valueOf(text.charAt(i));
      if (v < 0) {
        throw new MultiformatException(
            Reason.MALFORMED,
            "base32 text has the invalid character '"
                + MultiformatException.excerpt(String.valueOf(text.charAt(i)))
                + "' at index "
                + i);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
      buffer &= (1 << bits) - 1;
    }
    if (buffer != 0) {
      throw new MultiformatException(
          Reason.MALFORMED, "base32 text has non-zero unused bits in its last character");
    }
    return out;
  }

  private static int valueOf(char c) {
    if (c >= 'a' && c <= 'z') {
      return c - 'a';
    }
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= '2' && c <= '7') {
      return c - '2' + 26;
    }
    return -1;
  }
}
