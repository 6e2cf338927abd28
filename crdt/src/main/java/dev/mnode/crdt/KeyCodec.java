package dev.mnode.crdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Escapes strings used as Automerge map keys (tags, metadata keys, links). automerge-java 0.0.7
 * passes map keys through JNI's modified UTF-8 and refuses any key holding U+0000 or a character
 * outside the Basic Multilingual Plane (an emoji, say) with "not a valid UTF-8 string". So those
 * characters, and '%' itself, are written as the percent-encoded bytes of their UTF-8 form
 * ({@code "🔥" -> "%F0%9F%94%A5"}, {@code "%" -> "%25"}); everything else is written as it is.
 * The encoding is a bijection onto its canonical outputs; {@link #decode} refuses any other input.
 * Stateless.
 */
final class KeyCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private KeyCodec() {}

  static String encode(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); ) {
      int cp = key.codePointAt(i);
      int n = Character.charCount(cp);
      if (needsEscape(cp)) {
        for (byte b : key.substring(i, i + n).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
      } else {
        out.append(key, i, i + n);
      }
      i += n;
    }
    return out.toString();
  }

  /**
   * Reverses {@link #encode}.
   *
   * @throws IllegalArgumentException if {@code key} is not exactly what {@link #encode} writes for
   *     some string
   */
  static String decode(String key) {
    if (key.indexOf('%') < 0) {
      return key;
    }
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); ) {
      if (key.charAt(i) != '%') {
        out.append(key.charAt(i++));
        continue;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (i < key.length() && key.charAt(i) == '%') {
        if (i + 3 > key.length()) {
          throw new IllegalArgumentException("key \"" + Checks.shorten(key) + "\" ends inside an escape");
        }
        bytes.write((hexDigit(key, i + 1) << 4) | hexDigit(key, i + 2));
        i += 3;
      }
      try {
        out.append(
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray())));
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("key \"" + Checks.shorten(key) + "\" escapes bytes that are not UTF-8", e);
      }
    }
    String decoded = out.toString();
    if (!encode(decoded).equals(key)) {
      throw new IllegalArgumentException("key \"" + Checks.shorten(key) + "\" is not canonically escaped");
    }
    return decoded;
  }

  private static boolean needsEscape(int cp) {
    return cp == '%' || cp == 0 || cp > 0xffff;
  }

  private static int hexDigit(String s, int i) {
    char c = s.charAt(i);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw new IllegalArgumentException("key \"" + Checks.shorten(s) + "\" has a bad escape at " + i);
  }
}
