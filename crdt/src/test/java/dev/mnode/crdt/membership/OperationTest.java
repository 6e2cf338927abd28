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
import java.util.List;
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
        Operation.sign(laptop, Vault.ID, Operation.Kind.REVOKE, List.of(p1, p2), phone.publicKey(), "", List.of()),
        Operation.sign(phone, Vault.ID, Operation.Kind.RENAME, List.of(p2), laptop.publicKey(), "laptop", List.of()));
  }

  @Test
  void encode_isTheDocumentedLayout_andTheIdIsSha256OfTheSignedBytes() throws Exception {
    Operation op = Operation.sign(laptop, Vault.ID, Operation.Kind.RENAME, List.of(p2, p1), phone.publicKey(), "télé", List.of());
    byte[] name = "télé".getBytes(StandardCharsets.UTF_8);
    ByteBuffer expected = ByteBuffer.allocate(1 + 16 + 1 + 32 + 2 + 64 + 32 + 1 + name.length + 2);
    expected.put((byte) 1).put(Vault.ID.toByteArray()).put((byte) 6).put(laptop.publicKey().key().toByteArray());
    expected.putShort((short) 2).put(p1.bytes().toByteArray()).put(p2.bytes().toByteArray());
    expected.put(phone.publicKey().key().toByteArray()).put((byte) name.length).put(name).putShort((short) 0);
    byte[] encoded = op.encode();
    assertEquals(expected.capacity() + 64, encoded.length);
    assertArrayEquals(expected.array(), Arrays.copyOf(encoded, expected.capacity()));
    assertEquals(Bytes.copyOf(MessageDigest.getInstance("SHA-256").digest(expected.array())), op.id().bytes());
    byte[] signedMessage = ByteBuffer.allocate(23 + expected.capacity()).put("mnode/membership-op/v1\0".getBytes(StandardCharsets.US_ASCII)).put(expected.array()).array();
    assertTrue(laptop.publicKey().verify(signedMessage, Arrays.copyOfRange(encoded, expected.capacity(), encoded.length)));
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
    }
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
    byte[] version2 = revoke.clone();
    version2[0] = 2;
    assertMalformed(version2, "version 2 is unknown");
    byte[] kind9 = revoke.clone();
    kind9[17] = 9;
    assertMalformed(kind9, "unknown operation kind 9");
    byte[] longer = Arrays.copyOf(revoke, revoke.length + 1);
    assertMalformed(longer, "bytes after its classes");
    assertMalformed(Arrays.copyOf(revoke, revoke.length - 1), "bytes after its classes");
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
            input[0] = 1; // get past the version byte
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
    Operation biggest = Operation.sign(laptop, Vault.ID, Operation.Kind.ADD_DEVICE, parents, phone.publicKey(), "x".repeat(64), classes);
    assertEquals(Operation.MAX_BYTES, biggest.encode().length);
    assertEquals(biggest, Operation.decode(biggest.encode()));
    assertMalformed(Arrays.copyOf(biggest.encode(), Operation.MAX_BYTES + 1), "out of bounds");
    assertNotEquals(biggest.id(), everyKind().get(1).id());
  }
}
