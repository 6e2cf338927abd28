package dev.mnode.p2p.multiformats;

/**
 * base58btc, the Bitcoin base58 alphabet ({@code 1-9 A-H J-N P-Z a-k m-z}: no {@code 0 O I l}),
 * used bare for peer ids ({@code 12D3KooW...}, {@code Qm...}) and behind the multibase prefix
 * {@code z}. Each leading zero byte is written as {@code 1}, so every byte string has exactly one
 * encoding and decoding is canonical.
 *
 * <p>Stateless and thread-safe.
 */
public final class Base58Btc {
  /** The longest text {@link #decode(CharSequence)} accepts; decoding is quadratic in it. */
  public static final int MAX_DECODE_CHARS = 4096;

  private static final RadixCodec CODEC =
      new RadixCodec(
          "base58btc",
          "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
          MAX_DECODE_CHARS);

  private Base58Btc() {}

  /** Returns the base58btc text of {@code data} (empty for no bytes). */
  public static String encode(byte[] data) {
    return CODEC.encode(data);
  }

  /**
   * Decodes base58btc text (case matters: it is part of the alphabet).
   *
   * @throws MultiformatException MALFORMED naming the first character outside the alphabet,
   *     TOO_LONG past {@link #MAX_DECODE_CHARS}
   */
  public static byte[] decode(CharSequence text) throws MultiformatException {
    return CODEC.decode(text);
  }
}
