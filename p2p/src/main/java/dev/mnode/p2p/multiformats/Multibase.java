package dev.mnode.p2p.multiformats;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.util.Locale;

/**
 * The multibase encodings this module reads and writes: text whose first character names the base
 * of the rest ({@code b} base32, {@code k} base36, {@code z} base58btc, and the uppercase forms of
 * the case-insensitive ones). Peer ids in CID form use {@link #BASE32}.
 *
 * <p>Stateless and thread-safe.
 */
public enum Multibase {
  /** {@code b}: RFC 4648 base32, lowercase, no padding. */
  BASE32('b'),
  /** {@code B}: RFC 4648 base32, uppercase, no padding. */
  BASE32_UPPER('B'),
  /** {@code k}: base36 ({@code 0-9 a-z}), lowercase. */
  BASE36('k'),
  /** {@code K}: base36, uppercase. */
  BASE36_UPPER('K'),
  /** {@code z}: base58btc. */
  BASE58BTC('z');

  /** The longest base36 text decoded; its decoding is quadratic like base58's. */
  public static final int MAX_BASE36_DECODE_CHARS = 4096;

  private static final RadixCodec BASE36_CODEC =
      new RadixCodec("base36", "0123456789abcdefghijklmnopqrstuvwxyz", MAX_BASE36_DECODE_CHARS);

  private final char prefix;

  Multibase(char prefix) {
    this.prefix = prefix;
  }

  /** Returns the character that names this encoding at the start of multibase text. */
  public char prefix() {
    return prefix;
  }

  /** Returns {@code data} as multibase text: {@link #prefix()} then the encoded bytes. */
  public String encode(byte[] data) {
    String body =
        switch (this) {
          case BASE32 -> Base32.encode(data);
          case BASE32_UPPER -> Base32.encode(data).toUpperCase(Locale.ROOT);
          case BASE36 -> BASE36_CODEC.encode(data);
          case BASE36_UPPER -> BASE36_CODEC.encode(data).toUpperCase(Locale.ROOT);
          case BASE58BTC -> Base58Btc.encode(data);
        };
    return prefix + body;
  }

  /**
   * Decodes multibase text in any encoding listed here. base32 and base36 are read in either case,
   * whichever prefix case they carry, as the multibase spec asks.
   *
   * @throws MultiformatException MALFORMED for empty text or a bad body, UNSUPPORTED for a prefix
   *     not listed here, TOO_LONG for an over-long base36 or base58btc body
   */
  public static byte[] decode(CharSequence text) throws MultiformatException {
    if (text.length() == 0) {
      throw new MultiformatException(Reason.MALFORMED, "multibase text is empty");
    }
    CharSequence body = text.subSequence(1, text.length());
    char prefix = text.charAt(0);
    return switch (prefix) {
      case 'b', 'B' -> Base32.decode(body);
      case 'k', 'K' -> BASE36_CODEC.decode(body.toString().toLowerCase(Locale.ROOT));
      case 'z' -> Base58Btc.decode(body);
      default ->
          throw new MultiformatException(
              Reason.UNSUPPORTED,
              "unsupported multibase prefix '"
                  + MultiformatException.excerpt(String.valueOf(prefix))
                  + "' (known here: b, B, k, K, z)");
    };
  }
}
