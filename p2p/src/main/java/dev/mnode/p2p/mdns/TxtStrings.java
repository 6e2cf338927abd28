package dev.mnode.p2p.mdns;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The RDATA of a TXT record (RFC 1035 section 3.3.14): one or more character-strings, each a length
 * byte and that many bytes.
 *
 * <pre>
 *   +--------+-----------------+--------+-----------------+-- ...
 *   | len  1 | len bytes       | len  1 | len bytes       |
 *   +--------+-----------------+--------+-----------------+-- ...
 * </pre>
 *
 * <p>Decoding is bounded by the RDATA it is given and by {@code maxStrings}. Stateless.
 */
final class TxtStrings {
  /** The longest character-string. */
  static final int MAX_STRING_BYTES = 255;

  private TxtStrings() {}

  /**
   * Writes {@code strings} as TXT RDATA; an empty list is written as one empty string, as RFC 6763
   * section 6.1 asks.
   *
   * @throws IllegalArgumentException if a string is longer than 255 bytes in UTF-8
   */
  static void write(List<String> strings, ByteBuf out) {
    if (strings.isEmpty()) {
      out.writeByte(0);
      return;
    }
    for (String s : strings) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > MAX_STRING_BYTES) {
        throw new IllegalArgumentException(
            "TXT string of " + b.length + " bytes, at most " + MAX_STRING_BYTES);
      }
      out.writeByte(b.length).writeBytes(b);
    }
  }

  /**
   * Reads the character-strings of {@code rdata} (its readable bytes; the reader index is not
   * moved), at most {@code maxStrings} of them; returns an empty list if a string runs past the end
   * or there are more strings than that.
   */
  static List<String> read(ByteBuf rdata, int maxStrings) {
    List<String> out = new ArrayList<>();
    int at = rdata.readerIndex();
    int end = rdata.writerIndex();
    while (at < end) {
      int len = rdata.getUnsignedByte(at);
      at++;
      if (len > end - at || out.size() == maxStrings) {
        return List.of();
      }
      out.add(rdata.toString(at, len, StandardCharsets.UTF_8));
      at += len;
    }
    return out;
  }
}
