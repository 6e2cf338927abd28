package dev.mnode.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
  private static final VersionVector A = VersionVector.of(Map.of("alice", 3L, "bob", 1L));
  private static final VersionVector B = VersionVector.of(Map.of("alice", 2L, "carol", 5L));
  private static final VersionVector C = VersionVector.of(Map.of("bob", 4L, "dave", 1L));

  @Test
  void merge_isCommutativeAssociativeIdempotent_andTakesTheHigherSeq() {
    assertEquals(A.merge(B), B.merge(A));
    assertEquals(A.merge(B).merge(C), A.merge(B.merge(C)));
    assertEquals(A, A.merge(A));
    assertEquals(A, A.merge(VersionVector.empty()));
    assertEquals(VersionVector.of(Map.of("alice", 3L, "bob", 1L, "carol", 5L)), A.merge(B));
    assertTrue(A.merge(B).dominates(A));
    assertTrue(A.merge(B).dominates(B));
  }

  @Test
  void compare_tellsEqualBeforeAfterAndConcurrent() {
    VersionVector ab = A.merge(B);
    assertEquals(VersionVector.Order.EQUAL, A.compare(VersionVector.of(Map.of("bob", 1L, "alice", 3L))));
    assertEquals(VersionVector.Order.BEFORE, A.compare(ab));
    assertEquals(VersionVector.Order.AFTER, ab.compare(A));
    assertEquals(VersionVector.Order.CONCURRENT, A.compare(B));
    assertEquals(VersionVector.Order.BEFORE, VersionVector.empty().compare(A));
    assertTrue(A.dominates(A));
    assertFalse(A.dominates(B));
    assertTrue(A.dominates(VersionVector.empty()));
  }

  @Test
  void missingFrom_listsTheRangesTheOtherHasAndThisLacks() {
    assertEquals(List.of(new SeqRange("carol", 1, 5)), A.missingFrom(B));
    assertEquals(List.of(new SeqRange("alice", 3, 3), new SeqRange("bob", 1, 1)), B.missingFrom(A));
    assertEquals(List.of(), A.merge(B).missingFrom(A));
    assertEquals(List.of(), A.missingFrom(A));
    // Filling exactly the missing ranges reaches the merge.
    VersionVector filled = B;
    for (SeqRange r : B.missingFrom(A)) {
      assertEquals(B.get(r.author()) + 1, r.from());
      filled = filled.with(r.author(), r.to());
    }
    assertEquals(A.merge(B), filled);
  }

  @Test
  void zeroSeqs_areAbsent_andBadValuesAreRefused() {
    assertEquals(VersionVector.empty(), VersionVector.of(Map.of("alice", 0L)));
    assertEquals(VersionVector.of(Map.of("bob", 1L)), A.with("alice", 0));
    assertEquals(0, A.get("nobody"));
    assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of("alice", -1L)));
    assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of("has space", 1L)));
    assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of("", 1L)));
    assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of("é", 1L)));
    assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of("x".repeat(129), 1L)));
    Map<String, Long> many = new HashMap<>();
    for (int i = 0; i <= VersionVector.MAX_AUTHORS; i++) {
      many.put("a" + i, 1L);
    }
    assertThrows(IllegalArgumentException.class, () -> VersionVector.of(many));
  }

  @Test
  void encodeThenDecode_roundTrips() throws Exception {
    Random random = new Random(7);
    Map<String, Long> big = new HashMap<>();
    for (int i = 0; i < VersionVector.MAX_AUTHORS; i++) {
      big.put(Long.toHexString(random.nextLong()) + "-" + i, 1 + (random.nextLong() >>> 1) % Long.MAX_VALUE);
    }
    big.put("x".repeat(VersionVector.MAX_AUTHOR_CHARS), Long.MAX_VALUE);
    big.remove(big.keySet().iterator().next());
    for (VersionVector v : List.of(VersionVector.empty(), A, B, A.merge(B).merge(C), VersionVector.of(big))) {
      byte[] encoded = v.encode();
      assertEquals(v, VersionVector.decode(encoded));
      assertArrayEquals(encoded, VersionVector.decode(encoded).encode());
    }
  }

  /** Version 1 bytes written once; they must decode the same forever. */
  @Test
  void version1Encoding_staysReadable() throws Exception {
    byte[] v1 = HexFormat.of().parseHex(GOLDEN_V1);
    assertEquals(A, VersionVector.decode(v1));
    assertArrayEquals(v1, A.encode());
  }

  // 01 | 0002 | 05 "alice" | 0000000000000003 | 03 "bob" | 0000000000000001 | CRC-32C
  private static final String GOLDEN_V1 =
      "01" + "0002" + "05616c696365" + "0000000000000003" + "03626f62" + "0000000000000001" + "b87e4f0e";

  @Test
  void everyFlippedByte_isRejected() {
    byte[] good = A.merge(C).encode();
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      assertThrows(MalformedException.class, () -> VersionVector.decode(bad), "byte " + i);
    }
  }

  @Test
  void wellChecksummedButNonCanonicalEncodings_areRejected() {
    // authors out of order, a repeated author, seq 0, a non-ASCII author, bytes left over,
    // a count beyond the limit, an unknown version
    assertMalformed(body(1, entry("bob", 1), entry("alice", 3)));
    assertMalformed(body(1, entry("alice", 1), entry("alice", 3)));
    assertMalformed(body(1, entry("alice", 0)));
    assertMalformed(body(1, entry("al ce", 1)));
    assertMalformed(body(1, entry("alice", 1), new byte[] {0}));
    assertMalformed(withCount(VersionVector.MAX_AUTHORS + 1));
    assertMalformed(body(2));
    assertMalformed(new byte[] {1, 0, 0});
    MalformedException e = assertThrows(MalformedException.class, () -> VersionVector.decode(body(2)));
    assertEquals(MalformedException.Kind.VERSION_VECTOR, e.kind());
  }

  private static void assertMalformed(byte[] encoded) {
    assertThrows(MalformedException.class, () -> VersionVector.decode(encoded));
  }

  private static byte[] entry(String author, long seq) {
    return ByteBuffer.allocate(1 + author.length() + 8)
        .put((byte) author.length())
        .put(author.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
        .putLong(seq)
        .array();
  }

  /** version | count of the entries given (a trailing 1-byte part counts as junk) | entries | CRC. */
  private static byte[] body(int version, byte[]... parts) {
    int count = 0;
    int size = 3 + 4;
    for (byte[] p : parts) {
      count += p.length > 1 ? 1 : 0;
      size += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).put((byte) version).putShort((short) count);
    for (byte[] p : parts) {
      b.put(p);
    }
    return withCrc(b);
  }

  private static byte[] withCount(int count) {
    return withCrc(ByteBuffer.allocate(3 + 4).put((byte) 1).putShort((short) count));
  }

  private static byte[] withCrc(ByteBuffer b) {
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    return b.putInt((int) crc.getValue()).array();
  }
}
