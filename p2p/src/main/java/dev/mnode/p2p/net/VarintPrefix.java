package dev.mnode.p2p.net;

import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pException.Reason;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import java.nio.ByteBuffer;

/** Unsigned-varint length prefixes on streams (multistream-select, identify). Stateless. */
final class VarintPrefix {
  private VarintPrefix() {}

  /**
   * Decodes the varint in the first {@code count} bytes of {@code bytes} as a length.
   *
   * @throws P2pException PROTOCOL_VIOLATION for a malformed varint, TOO_LONG past {@code max}
   */
  static long length(byte[] bytes, int count, int max, String what) throws P2pException {
    long length;
    try {
      length = UnsignedVarint.read(ByteBuffer.wrap(bytes, 0, count));
    } catch (MultiformatException e) {
      throw new P2pException(Reason.PROTOCOL_VIOLATION, what + " length: " + e.getMessage(), e);
    }
    if (length > max) {
      throw new P2pException(
          Reason.TOO_LONG, what + " of " + length + " bytes, more than the maximum of " + max);
    }
    return length;
  }

  /** Reads one varint-length-prefixed message from {@code stream}. */
  static byte[] readMessage(P2pStream stream, int max, String what) throws P2pException {
    byte[] prefix = new byte[UnsignedVarint.MAX_BYTES];
    int n = 0;
    do {
      prefix[n] = stream.readExactly(1)[0];
      n++;
    } while ((prefix[n - 1] & 0x80) != 0 && n < prefix.length);
    long length = length(prefix, n, max, what);
    return stream.readExactly((int) length);
  }

  /** Returns {@code body} with its varint length in front. */
  static byte[] prefixed(byte[] body) {
    byte[] length = UnsignedVarint.encode(body.length);
    byte[] out = new byte[length.length + body.length];
    System.arraycopy(length, 0, out, 0, length.length);
    System.arraycopy(body, 0, out, length.length, body.length);
    return out;
  }
}
