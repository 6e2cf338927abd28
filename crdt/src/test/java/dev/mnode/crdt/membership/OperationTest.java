package dev.mnode.crdt.membership;

import static dev.mnode.crdt.membership.Vault.HEALTH;
import static dev.mnode.crdt.membership.Vault.PERSONAL;
import static dev.mnode.crdt.membership.Vault.WORK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crdt.MalformedException;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OperationTest {
  private final DeviceIdentity laptop = Vault.device("laptop");
  private final DeviceIdentity phone = Vault.device("phone");
  private final OperationId p1 = id(0x11);
  private final OperationId p2 = id(0xee);

  private static OperationId id(int fill) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) fill);
    return new OperationId(Bytes.copyOf(b));
  }

  private List<Operation> everyKind() {
    return List.of(
        Vault.genesis(laptop, WORK, PERSONAL),
        Operation.sign(laptop, Vault.ID, Operation.Kind.ADD_DEVICE, List.of(p2, p1), phone.publicKey(), "Ana's phone 📱", List.of(HEALTH, WORK)),
        Operation.sign(laptop, Vault.ID, Operation.Kind.GRANT, List.of(p1), phone.publicKey(), "", List.of(PERSONAL)),
        Operation.sign(laptop, Vault.ID, Operation.Kind.UNGRANT, List.of(p1), phone.publicKey(), "", List.of(WORK, HEALTH)),
        Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, List.of(p1, p2), phone.publicKey(), "", List.of(), Map.of(WORK, 7L, HEALTH, 0L)),
        Operation.sign(phone, Vault.ID, Operation.Kind.RENAME, List.of(p2), laptop.publicKey(), "laptop", List.of()));
  }

  @Test
  void encode_isTheDocumentedLayout_andTheIdIsSha256OfTheSignedBytes() throws Exception {
    Operation op = Operation.sign(laptop, Vault.ID, Operation.Kind.RENAME, List.of(p2, p1), phone.publicKey(), "télé", List.of());
    byte[] name = "télé".getBytes(StandardCharsets.UTF_8);
    ByteBuffer expected = ByteBuffer.allocate(1 + 16 + 1 + 32 + 2 + 64 + 32 + 1 + name.length + 2 + 2);
    expected.put((byte) 2).put(Vault.ID.toByteArray()).put((byte) 6).put(laptop.publicKey().key().toByteArray());
    expected.putShort((short) 2).put(p1.bytes().toByteArray()).put(p2.bytes().toByteArray());
    expected.put(phone.publicKey().key().toByteArray()).put((byte) name.length).put(name).putShort((short) 0).putShort((short) 0);
    assertSignedLayout(op, laptop, expected.array());
  }

  @Test
  void revokeEncoding_carriesItsCut_ascendingByTag_asDocumented() throws Exception {
    Operation op = Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, List.of(p1), phone.publicKey(), "", List.of(),
        Map.of(WORK, 0x0102030405L, HEALTH, 0L, PERSONAL, Long.MAX_VALUE));
    List<ClassTag> ascending = MembershipLogTest.sortedTags(WORK, HEALTH, PERSONAL);
    ByteBuffer expected = ByteBuffer.allocate(1 + 16 + 1 + 32 + 2 + 32 + 32 + 1 + 2 + 2 + 3 * (16 + 8));
    expected.put((byte) 2).put(Vault.ID.toByteArray()).put((byte) 5).put(laptop.publicKey().key().toByteArray());
    expected.putShort((short) 1).put(p1.bytes().toByteArray());
    expected.put(phone.publicKey().key().toByteArray()).put((byte) 0).putShort((short) 0).putShort((short) 3);
    Map<ClassTag, Long> seqs = Map.of(WORK, 0x0102030405L, HEALTH, 0L, PERSONAL, Long.MAX_VALUE);
    for (ClassTag t : ascending) {
      expected.put(t.tag().toByteArray()).putLong(seqs.get(t));
    }
    assertSignedLayout(op, laptop, expected.array());
    assertEquals(ascending, List.copyOf(op.cut().keySet()));
    assertEquals(seqs, Operation.decode(op.encode()).cut());
  }

  private static void assertSignedLayout(Operation op, DeviceIdentity author, byte[] expected) throws Exception {
    byte[] encoded = op.encode();
    assertEquals(expected.length + 64, encoded.length);
    assertArrayEquals(expected, Arrays.copyOf(encoded, expected.length));
    assertEquals(Bytes.copyOf(MessageDigest.getInstance("SHA-256").digest(expected)), op.id().bytes());
    byte[] signedMessage = ByteBuffer.allocate(23 + expected.length).put("mnode/membership-op/v2\0".getBytes(StandardCharsets.US_ASCII)).put(expected).array();
    assertTrue(author.publicKey().verify(signedMessage, Arrays.copyOfRange(encoded, expected.length, encoded.length)));
  }

  @Test
  void everyKind_roundTripsToTheSameBytesAndId() throws Exception {
    for (Operation op : everyKind()) {
      Operation back = Operation.decode(op.encode());
      assertEquals(op, back);
      assertEquals(op.id(), back.id());
      assertArrayEquals(op.encode(), back.encode());
      assertTrue(back.verifySignature(), op.toString());
      assertEquals(op.kind(), back.kind());
      assertEquals(op.parents(), back.parents());
      assertEquals(op.classes(), back.classes());
      assertEquals(op.name(), back.name());
      assertEquals(op.cut(), back.cut());
    }
    assertEquals(Map.of(WORK, 7L, HEALTH, 0L), everyKind().get(4).cut());
    assertEquals(List.of(p1, p2), everyKind().get(1).parents(), "parents are sorted");
  }

  @Test
  void fieldRules_areEnforcedWhenWriting() {
    assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, List.of(p1), phone.publicKey(), "named", List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, List.of(), phone.publicKey(), "", List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.GRANT, List.of(p1), phone.publicKey(), "", List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.RENAME, List.of(p1), phone.publicKey(), "x".repeat(65), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.RENAME, List.of(p1), phone.publicKey(), "tab\there", List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.RENAME, List.of(p1), phone.publicKey(), "  ", List.of()));
    assertThrows(IllegalArgumentException.class, () -> Operation.genesis(laptop, Bytes.copyOf(new byte[15]), "x", List.of()));
    IllegalArgumentException cutOnGrant = assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.GRANT, List.of(p1), phone.publicKey(), "", List.of(WORK), Map.of(WORK, 1L)));
    assertTrue(cutOnGrant.getMessage().contains("GRANT carries no cut"), cutOnGrant.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, List.of(p1), phone.publicKey(), "", List.of(), Map.of(WORK, -1L)));
    assertTrue(negative.getMessage().contains("negative: -1"), negative.getMessage());
    Map<ClassTag, Long> tooMany = new HashMap<>();
    for (int i = 0; i <= Operation.MAX_CUT; i++) {
      tooMany.put(Vault.tag("class-" + i), 1L);
    }
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
        () -> Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, List.of(p1), phone.publicKey(), "", List.of(), tooMany));
    assertTrue(big.getMessage().contains("at most 256 classes, not 257"), big.getMessage());
  }

  @Test
  void nonCanonicalEncodings_areMalformed() throws Exception {
    byte[] revoke = everyKind().get(4).encode(); // parents p1, p2 at offset 52
    byte[] swapped = revoke.clone();
    System.arraycopy(revoke, 52 + 32, swapped, 52, 32);
    System.arraycopy(revoke, 52, swapped, 52 + 32, 32);
    assertMalformed(swapped, "out of order");
    byte[] repeated = revoke.clone();
    System.arraycopy(revoke, 52, repeated, 52 + 32, 32);
    assertMalformed(repeated, "out of order or repeated");
    byte[] version1 = revoke.clone();
    version1[0] = 1;
    assertMalformed(version1, "version 1 is unknown; this version reads 2");
    byte[] version3 = revoke.clone();
    version3[0] = 3;
    assertMalformed(version3, "version 3 is unknown");
    byte[] kind9 = revoke.clone();
    kind9[17] = 9;
    assertMalformed(kind9, "unknown operation kind 9");
    byte[] longer = Arrays.copyOf(revoke, revoke.length + 1);
    assertMalformed(longer, "bytes after its cut");
    assertMalformed(Arrays.copyOf(revoke, revoke.length - 1), "bytes after its cut");
    byte[] asGenesis = revoke.clone();
    asGenesis[17] = 1;
    assertMalformed(asGenesis, "a genesis has no parents");
    byte[] manyParents = revoke.clone();
    manyParents[50] = (byte) 0xff;
    assertMalformed(manyParents, "parents");
    byte[] badUtf8 = everyKind().get(5).encode();
    int nameAt = 1 + 16 + 1 + 32 + 2 + 32 + 32 + 1;
    badUtf8[nameAt] = (byte) 0xff;
    assertMalformed(badUtf8, "not UTF-8");
  }

  @Test
  void nonCanonicalOrInvalidCuts_areMalformed() {
    byte[] revoke = everyKind().get(4).encode(); // two cut entries, ascending, before the signature
    int cutCountAt = revoke.length - 64 - 2 * 24 - 2;
    int first = cutCountAt + 2;
    byte[] swapped = revoke.clone();
    System.arraycopy(revoke, first + 24, swapped, first, 24);
    System.arraycopy(revoke, first, swapped, first + 24, 24);
    assertMalformed(swapped, "cut out of order or repeated at 1");
    byte[] repeated = revoke.clone();
    System.arraycopy(revoke, first, repeated, first + 24, 24);
    assertMalformed(repeated, "cut out of order or repeated at 1");
    byte[] negative = revoke.clone();
    negative[first + 16] = (byte) 0x80;
    assertMalformed(negative, "is negative");
    byte[] tooMany = revoke.clone();
    tooMany[cutCountAt] = 1;
    tooMany[cutCountAt + 1] = 1; // 257
    assertMalformed(tooMany, "a cut of 257 classes; at most 256");
    byte[] claimsMore = revoke.clone();
    claimsMore[cutCountAt + 1] = 5; // 120 bytes of entries; 112 remain
    assertMalformed(claimsMore, "cut short in its cut");
    // A rename with a cut entry spliced in before its signature.
    byte[] rename = everyKind().get(5).encode();
    int renameCutAt = rename.length - 64 - 2;
    ByteBuffer withCut = ByteBuffer.allocate(rename.length + 24);
    withCut.put(rename, 0, renameCutAt).putShort((short) 1).put(WORK.tag().toByteArray()).putLong(3);
    withCut.put(rename, rename.length - 64, 64);
    assertMalformed(withCut.array(), "RENAME carries no cut");
  }

  private static void assertMalformed(byte[] bytes, String containing) {
    MalformedException e = assertThrows(MalformedException.class, () -> Operation.decode(bytes));
    assertEquals(MalformedException.Kind.MEMBERSHIP_OPERATION, e.kind());
    assertTrue(e.getMessage().contains(containing), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void everyFlippedBit_isMalformedOrBreaksTheSignature() {
    for (Operation op : everyKind()) {
      byte[] good = op.encode();
      for (int bit = 0; bit < good.length * 8; bit++) {
        byte[] bad = good.clone();
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
          Operation decoded = Operation.decode(bad);
          assertFalse(decoded.verifySignature(), op + " bit " + bit);
        } catch (MalformedException expected) {
          // fine: the decoder refused it
        }
      }
    }
  }

  /** Random bytes, truncations and splices: the decoder and the log refuse them cleanly. */
  @Test
  void fuzzedInput_isRefusedCleanly_byTheDecoderAndTheLog() throws Exception {
    Random rnd = new Random(20261126);
    Operation genesis = Vault.genesis(laptop, WORK);
    MembershipLog log = Vault.log(genesis);
    List<byte[]> seeds = new ArrayList<>();
    everyKind().forEach(op -> seeds.add(op.encode()));
    int refused = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] input;
      byte[] base = seeds.get(rnd.nextInt(seeds.size()));
      switch (i % 4) {
        case 0 -> {
          input = new byte[rnd.nextInt(400)];
          rnd.nextBytes(input);
          if (input.length > 0) {
            input[0] = (byte) Operation.VERSION; // get past the version byte
          }
        }
        case 1 -> input = Arrays.copyOf(base, rnd.nextInt(base.length + 1));
        case 2 -> {
          input = base.clone();
          for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
            input[rnd.nextInt(input.length)] = (byte) rnd.nextInt(256);
          }
        }
        default -> {
          byte[] other = seeds.get(rnd.nextInt(seeds.size()));
          int cut = rnd.nextInt(Math.min(base.length, other.length));
          input = Arrays.copyOf(base, cut + other.length - cut);
          System.arraycopy(other, cut, input, cut, other.length - cut);
        }
      }
      byte[] in = input;
      boolean isASeed = seeds.stream().anyMatch(b -> Arrays.equals(b, in));
      try {
        Operation decoded = Operation.decode(input);
        assertTrue(isASeed || !decoded.verifySignature(), "fuzzed input " + i + " carries a valid signature");
      } catch (MalformedException e) {
        assertFalse(isASeed);
      }
      refused += isASeed ? 0 : 1;
      ReceiveResult r = log.receive(input);
      assertNotEquals(ReceiveResult.Status.STORED, r.status(), "fuzzed input " + i + " was stored");
    }
    assertTrue(refused > 2500, "most fuzzed inputs differ from the valid ones: " + refused);
    assertEquals(1, log.size());
  }

  @Test
  void maxBytes_boundsTheLargestOperation() throws Exception {
    List<OperationId> parents = new ArrayList<>();
    List<ClassTag> classes = new ArrayList<>();
    for (int i = 0; i < Operation.MAX_PARENTS; i++) {
      byte[] b = new byte[32];
      b[0] = (byte) i;
      parents.add(new OperationId(Bytes.copyOf(b)));
      classes.add(Vault.tag("class-" + i));
    }
    Operation biggestAdd = Operation.sign(laptop, Vault.ID, Operation.Kind.ADD_DEVICE, parents, phone.publicKey(), "x".repeat(64), classes);
    Map<ClassTag, Long> cut = new HashMap<>();
    classes.forEach(c -> cut.put(c, Long.MAX_VALUE));
    Operation biggest = Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, parents, phone.publicKey(), "", List.of(), cut);
    assertEquals(Operation.MAX_BYTES, biggest.encode().length);
    assertEquals(14_489, Operation.MAX_BYTES, "the value docs/sync-keys.md gives");
    assertTrue(biggestAdd.encode().length < Operation.MAX_BYTES, "the largest add is smaller: " + biggestAdd.encode().length);
    assertEquals(biggest, Operation.decode(biggest.encode()));
    assertEquals(biggestAdd, Operation.decode(biggestAdd.encode()));
    assertMalformed(Arrays.copyOf(biggest.encode(), Operation.MAX_BYTES + 1), "out of bounds");
    assertNotEquals(biggestAdd.id(), everyKind().get(1).id());
  }
}
