package dev.mnode.p2p.multiformats;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.nio.ByteBuffer;

/**
 * The multiformats unsigned varint: unsigned LEB128, seven bits a byte, least significant group
 * first, the high bit set on every byte but the last.
 *
 * <pre>
 *   300 = 0b1_0010_1100  ->  [1 0101100] [0 0000010]  =  0xac 0x02
 *                             ^ more      ^ last
 * </pre>
 *
 * <p>As the spec requires, a varint has at most {@link #MAX_BYTES} bytes (so its value fits 63 bits
 * and a non-negative {@code long}) and must be minimal: a last byte of {@code 0x00} is only allowed
 * for the one-byte encoding of zero. Readers reject anything else.
 *
 * <p>Stateless and thread-safe.
 */
public final class UnsignedVarint {
  /** The most bytes a varint may take (spec: "practical maximum of 9 bytes"). */
  public static final int MAX_BYTES = 9;

  /** The largest value a {@link #MAX_BYTES}-byte varint holds: 2^63 - 1. */
  public static final long MAX_VALUE = Long.MAX_VALUE;

  private UnsignedVarint() {}

  /**
   * Returns the minimal encoding of {@code value}; throws {@link IllegalArgumentException} when it
   * is negative.
   */
  public static byte[] encode(long value) {
    byte[] out = new byte[encodedLength(value)];
    long v = value;
    for (int i = 0; i < out.length - 1; i++) {
      out[i] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[out.length - 1] = (byte) v;
    return out;
  }

  /**
   * Returns how many bytes {@link #encode(long)} uses for {@code value} (1 to 9); throws {@link
   * IllegalArgumentException} when it is negative.
   */
  public static int encodedLength(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("an unsigned varint cannot hold " + value);
    }
    int bits = 64 - Long.numberOfLeadingZeros(value);
    return Math.max(1, (bits + 6) / 7);
  }

  /**
   * Decodes a byte array that holds exactly one varint.
   *
   * @throws MultiformatException TRUNCATED when the varint is cut short, TOO_LONG past {@link
   *     #MAX_BYTES}, MALFORMED when it is not minimal or bytes follow it
   */
  public static long decode(byte[] in) throws MultiformatException {
    ByteBuffer buf = ByteBuffer.wrap(in);
    long value = read(buf);
    if (buf.hasRemaining()) {
      throw new MultiformatException(
          Reason.MALFORMED, buf.remaining() + " bytes follow the varint");
    }
    return value;
  }

  /**
   * Reads one varint at the buffer's position and advances past it. On failure the position is
   * unchanged, so a stream reader that gets TRUNCATED can retry once more bytes arrive.
   *
   * @throws MultiformatException TRUNCATED when the buffer ends inside the varint, TOO_LONG when it
   *     runs past {@link #MAX_BYTES}, MALFORMED when it is not minimal
   */
  public static long read(ByteBuffer in) throws MultiformatException {
    int start = in.position();
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (start + i >= in.limit()) {
        throw new MultiformatException(Reason.TRUNCATED, "varint cut short after " + i + " bytes");
      }
      int b = in.get(start + i) & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new MultiformatException(
              Reason.MALFORMED, "varint is not minimal: it ends in a zero byte after " + i);
        }
        in.position(start + i + 1);
        return value;
      }
    }
    throw new MultiformatException(
        Reason.TOO_LONG, "varint runs past the maximum of " + MAX_BYTES + " bytes");
  }

  /**
   * Reads a varint that gives the length of the bytes after it, and checks the length against
   * {@code max} and against the bytes left in the buffer. Advances past the varint only; on failure
   * the position is unchanged.
   *
   * @throws MultiformatException TOO_LONG when the length exceeds {@code max}, TRUNCATED when fewer
   *     bytes remain than it announces, or any failure of {@link #read(ByteBuffer)}
   */
  public static int readLength(ByteBuffer in, int max) throws MultiformatException {
    int start = in.position();
    long length = read(in);
    if (length > max) {
      in.position(start);
      throw new MultiformatException(
          Reason.TOO_LONG, "length " + length + " exceeds the maximum of " + max);
    }
    int left = in.remaining();
    if (length > left) {
      in.position(start);
      throw new MultiformatException(
          Reason.TRUNCATED, "length " + length + " announced but only " + left + " bytes follow");
    }
    return (int) length;
  }
}
