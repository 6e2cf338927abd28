package dev.mnode.p2p.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultihashTest {
  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  @Test
  void sha256_ofEmptyInput_isTheKnownDigestBehindCodeAndLength() {
    Multihash mh = Multihash.sha256(new byte[0]);
    assertEquals(
        "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HexFormat.of().formatHex(mh.toBytes()));
    assertFalse(mh.isIdentity());
  }

  @Test
  void identity_carriesTheDataItself() throws Exception {
    Multihash mh = Multihash.identity(hex("0801"));
    assertArrayEquals(hex("00020801"), mh.toBytes());
    assertTrue(mh.isIdentity());
    assertEquals(mh, Multihash.decode(hex("00020801")));
    assertEquals(4, mh.encodedLength());
  }

  @Test
  void decode_shortDigest_isTruncated_andTrailingBytesAreMalformed() {
    MultiformatException cut =
        assertThrows(MultiformatException.class, () -> Multihash.decode(hex("1220aabb")));
    assertEquals(Reason.TRUNCATED, cut.reason());
    MultiformatException trailing =
        assertThrows(MultiformatException.class, () -> Multihash.decode(hex("000101ff")));
    assertEquals(Reason.MALFORMED, trailing.reason());
  }

  @Test
  void decode_digestOverTheLimit_isTooLong() {
    byte[] big = new byte[3 + Multihash.MAX_DIGEST_BYTES + 1];
    System.arraycopy(hex("008101"), 0, big, 0, 3); // length 129
    MultiformatException e = assertThrows(MultiformatException.class, () -> Multihash.decode(big));
    assertEquals(Reason.TOO_LONG, e.reason());
  }

  @Test
  void read_failure_leavesThePositionUnchanged() {
    ByteBuffer in = ByteBuffer.wrap(hex("1220aabb"));
    assertThrows(MultiformatException.class, () -> Multihash.read(in));
    assertEquals(0, in.position());
  }

  @Test
  void bytes_copyAtTheEdges_andCompareByValue() {
    byte[] raw = hex("0102");
    Bytes b = Bytes.copyOf(raw);
    raw[0] = 9;
    assertEquals("0102", b.hex());
    b.toByteArray()[0] = 9;
    assertEquals("0102", b.hex());
    assertEquals(Bytes.fromHex("0102"), b);
    assertNotEquals(Bytes.fromHex("0103"), b);
    assertThrows(java.nio.ReadOnlyBufferException.class, () -> b.asReadOnlyBuffer().put((byte) 1));
    assertTrue(Bytes.fromHex("ff").compareTo(Bytes.fromHex("01")) > 0);
  }
}
