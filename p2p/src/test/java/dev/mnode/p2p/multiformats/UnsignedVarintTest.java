package dev.mnode.p2p.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnsignedVarintTest {
  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  /** The examples in multiformats/unsigned-varint README.md, plus zero and the 9-byte maximum. */
  @ParameterizedTest
  @CsvSource({
    "0, 00",
    "1, 01",
    "127, 7f",
    "128, 8001",
    "255, ff01",
    "300, ac02",
    "16384, 808001",
    "9223372036854775807, ffffffffffffffff7f"
  })
  void specExamples_encodeAndDecodeBothWays(long value, String encoded) throws Exception {
    assertArrayEquals(hex(encoded), UnsignedVarint.encode(value));
    assertEquals(value, UnsignedVarint.decode(hex(encoded)));
    assertEquals(encoded.length() / 2, UnsignedVarint.encodedLength(value));
  }

  @Test
  void encodedLength_changesExactlyAtSevenBitBoundaries() {
    for (int bytes = 1; bytes < UnsignedVarint.MAX_BYTES; bytes++) {
      long largest = (1L << (7 * bytes)) - 1;
      assertEquals(bytes, UnsignedVarint.encodedLength(largest));
      assertEquals(bytes + 1, UnsignedVarint.encodedLength(largest + 1));
    }
  }

  @Test
  void encode_negative_isAProgrammerError() {
    assertThrows(IllegalArgumentException.class, () -> UnsignedVarint.encode(-1));
  }

  /** The spec's own example of a non-minimal encoding: 0x81 0x00 is Go's valid varint for 1. */
  @ParameterizedTest
  @CsvSource({"8100", "8000", "ff00", "818000", "ffffffffffffffff00"})
  void decode_nonMinimal_isMalformed(String encoded) {
    MultiformatException e =
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(hex(encoded)));
    assertEquals(Reason.MALFORMED, e.reason());
  }

  @Test
  void decode_tenBytes_isTooLong_evenWhenTheValueWouldFitALong() {
    MultiformatException e =
        assertThrows(
            MultiformatException.class, () -> UnsignedVarint.decode(hex("80808080808080808001")));
    assertEquals(Reason.TOO_LONG, e.reason());
  }

  @Test
  void decode_nineContinuationBytes_isTooLong_notTruncated() {
    MultiformatException e =
        assertThrows(
            MultiformatException.class, () -> UnsignedVarint.decode(hex("ffffffffffffffffff")));
    assertEquals(Reason.TOO_LONG, e.reason());
  }

  @ParameterizedTest
  @CsvSource({"''", "80", "ff", "8080", "ffffffffffffffff"})
  void decode_cutShort_isTruncated(String encoded) {
    MultiformatException e =
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(hex(encoded)));
    assertEquals(Reason.TRUNCATED, e.reason());
  }

  @Test
  void decode_trailingBytes_isMalformed() {
    MultiformatException e =
        assertThrows(MultiformatException.class, () -> UnsignedVarint.decode(hex("0101")));
    assertEquals(Reason.MALFORMED, e.reason());
  }

  @Test
  void read_advancesPastOneVarint_andLeavesTheRest() throws Exception {
    ByteBuffer in = ByteBuffer.wrap(hex("ac02" + "7f" + "ff"));
    assertEquals(300, UnsignedVarint.read(in));
    assertEquals(2, in.position());
    assertEquals(127, UnsignedVarint.read(in));
    assertEquals(3, in.position());
  }

  @Test
  void read_respectsPositionAndLimitOfASlice() throws Exception {
    ByteBuffer in = ByteBuffer.wrap(hex("ff" + "8001" + "05"), 1, 2);
    assertEquals(128, UnsignedVarint.read(in));
    assertEquals(3, in.position());
    MultiformatException e =
        assertThrows(MultiformatException.class, () -> UnsignedVarint.read(in));
    assertEquals(Reason.TRUNCATED, e.reason()); // the 0x05 lies past the limit
  }

  @Test
  void read_failure_leavesThePositionUnchanged_soAStreamCanRetry() throws Exception {
    ByteBuffer partial = ByteBuffer.allocate(8);
    partial.put(hex("aa8080")).flip();
    MultiformatException e =
        assertThrows(MultiformatException.class, () -> UnsignedVarint.read(partial));
    assertEquals(Reason.TRUNCATED, e.reason());
    assertEquals(0, partial.position());

    // The rest of the varint arrives.
    partial.limit(4).put(3, (byte) 0x01);
    assertEquals(0x2a | (1L << 21), UnsignedVarint.read(partial));
    assertEquals(4, partial.position());

    ByteBuffer nonMinimal = ByteBuffer.wrap(hex("8100"));
    assertThrows(MultiformatException.class, () -> UnsignedVarint.read(nonMinimal));
    assertEquals(0, nonMinimal.position());
  }

  @Test
  void readLength_checksTheMaximumAndTheBytesThatFollow() throws Exception {
    ByteBuffer ok = ByteBuffer.wrap(hex("03aabbcc"));
    assertEquals(3, UnsignedVarint.readLength(ok, 3));
    assertEquals(1, ok.position());

    ByteBuffer overMax = ByteBuffer.wrap(hex("03aabbcc"));
    MultiformatException tooLong =
        assertThrows(MultiformatException.class, () -> UnsignedVarint.readLength(overMax, 2));
    assertEquals(Reason.TOO_LONG, tooLong.reason());
    assertEquals(0, overMax.position());

    ByteBuffer short1 = ByteBuffer.wrap(hex("04aabbcc"));
    MultiformatException truncated =
        assertThrows(MultiformatException.class, () -> UnsignedVarint.readLength(short1, 100));
    assertEquals(Reason.TRUNCATED, truncated.reason());
    assertEquals(0, short1.position());
  }

  @Test
  void encodeThenDecode_roundTripsEveryBitLength() throws Exception {
    for (int bit = 0; bit < 63; bit++) {
      for (long value : new long[] {(1L << bit) - 1, 1L << bit, (1L << bit) + 1}) {
        if (value >= 0) {
          assertEquals(value, UnsignedVarint.decode(UnsignedVarint.encode(value)));
        }
      }
    }
  }
}
