package dev.mnode.p2p;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ed25519 identities and public keys in the libp2p protobuf encoding. */
class Ed25519KeysTest {
  /** libp2p/specs peer-ids/peer-ids.md, "Test vectors": ED25519 private key. */
  static final String SPEC_PRIVATE_KEY =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
          + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

  /** libp2p/specs peer-ids/peer-ids.md, "Test vectors": ED25519 public key. */
  static final String SPEC_PUBLIC_KEY =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

  /** libp2p/specs peer-ids/peer-ids.md, "Test vectors": the other key types' public keys. */
  static final String SPEC_SECP256K1_PUBLIC_KEY =
      "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";

  static final String SPEC_ECDSA_PUBLIC_KEY =
      "0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004de3d300fa36ae0e8f5d530"
          + "899d83abab44abf3161f162a4bc901d8e6ecda020e8b6d5f8da30525e71d6851510c098e5c47c646a5"
          + "97fb4dcec034e9f77c409e62";

  static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void specVector_privateKeyYieldsTheSpecPublicKey_andReencodesByteForByte() throws Exception {
    try (Ed25519Identity id = Ed25519Identity.fromProtobuf(hex(SPEC_PRIVATE_KEY))) {
      assertEquals(SPEC_PUBLIC_KEY, hex(id.publicKey().toProtobuf()));
      assertEquals(SPEC_PRIVATE_KEY, hex(id.toProtobuf()));
      assertEquals(
          "7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d", hex(id.seed()));
    }
    assertEquals(
        SPEC_PUBLIC_KEY, hex(Ed25519PublicKey.fromProtobuf(hex(SPEC_PUBLIC_KEY)).toProtobuf()));
  }

  /** RFC 8032 section 7.1, TEST 1: secret key, public key and signature of the empty message. */
  @Test
  void rfc8032Test1_seedGivesItsPublicKeyAndSignature() {
    try (Ed25519Identity id =
        Ed25519Identity.fromSeed(
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))) {
      assertEquals(
          "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
          id.publicKey().bytes().hex());
      byte[] signature = id.sign(new byte[0]);
      assertEquals(
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
              + "701cf9b46bd25bf5f0595bbe24655141438e7a100b",
          hex(signature));
      assertTrue(id.publicKey().verify(new byte[0], signature));
    }
  }

  /**
   * go-libp2p p2p/http/auth/auth_test.go TestWalkthroughInSpec: the spec private key's signature
   * over the peer-id-auth client message, and the all-zero seed's PrivateKey message.
   */
  @Test
  void goLibp2pWalkthrough_signatureAndZeroSeedEncoding() throws Exception {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    String challenge = "challenge-client=" + Base64.getUrlEncoder().encodeToString(new byte[32]);
    String host = "hostname=\"example.com\"";
    message.writeBytes("libp2p-PeerID".getBytes(UTF_8));
    message.write(challenge.length()); // one-byte varint length prefixes
    message.writeBytes(challenge.getBytes(UTF_8));
    message.write(host.length());
    message.writeBytes(host.getBytes(UTF_8));
    try (Ed25519Identity id = Ed25519Identity.fromProtobuf(hex(SPEC_PRIVATE_KEY))) {
      assertEquals(
          "F5OBYbbMXoIVJNWrW0UANi7rrbj4GCB6kcEceQjajLTMvC-_jpBF9MFlxiaNYXOEiPQqeo_S56YUSNinwl0ZCQ==",
          Base64.getUrlEncoder().encodeToString(id.sign(message.toByteArray())));
    }
    try (Ed25519Identity zero = Ed25519Identity.fromSeed(new byte[32])) {
      assertEquals(
          "08011240"
              + "00".repeat(32)
              + "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29",
          hex(zero.toProtobuf()));
    }
  }

  @Test
  void legacy96BytePrivateKey_isRead_whenBothPublicCopiesMatch() throws Exception {
    String data = SPEC_PRIVATE_KEY.substring(8);
    String legacy = "08011260" + data + data.substring(64);
    try (Ed25519Identity id = Ed25519Identity.fromProtobuf(hex(legacy))) {
      assertEquals(SPEC_PUBLIC_KEY, hex(id.publicKey().toProtobuf()));
      assertEquals(SPEC_PRIVATE_KEY, hex(id.toProtobuf())); // written back in the preferred form
    }
    String mismatched = "08011260" + data + "00".repeat(32);
    assertRejected(Reason.MALFORMED, () -> Ed25519Identity.fromProtobuf(hex(mismatched)));
  }

  @Test
  void privateKey_whosePublicHalfIsNotTheSeeds_isRejected() {
    String wrongPublic = SPEC_PRIVATE_KEY.substring(0, 8 + 64) + "00".repeat(32);
    MultiformatException e =
        assertRejected(Reason.MALFORMED, () -> Ed25519Identity.fromProtobuf(hex(wrongPublic)));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }

  @Test
  void otherKeyTypesFromTheSpec_areUnsupported_withTheTypeNamed() {
    MultiformatException secp =
        assertRejected(
            Reason.UNSUPPORTED,
            () -> Ed25519PublicKey.fromProtobuf(hex(SPEC_SECP256K1_PUBLIC_KEY)));
    assertTrue(secp.getMessage().contains("Secp256k1"), secp.getMessage());
    MultiformatException ecdsa =
        assertRejected(
            Reason.UNSUPPORTED, () -> Ed25519PublicKey.fromProtobuf(hex(SPEC_ECDSA_PUBLIC_KEY)));
    assertTrue(ecdsa.getMessage().contains("ECDSA"), ecdsa.getMessage());
    assertRejected(Reason.UNSUPPORTED, () -> Ed25519PublicKey.fromProtobuf(hex("08001200")));
    assertRejected(Reason.MALFORMED, () -> Ed25519PublicKey.fromProtobuf(hex("08091200")));
  }

  /**
   * The spec requires one deterministic encoding; every other layout of the same key is refused.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        // fields in the wrong order
        "12201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e0801",
        // a third field after Data
        SPEC_PUBLIC_KEY + "1800",
        // non-minimal Type varint
        "0881001220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
        // non-minimal length varint
        "080112a000" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
        // Type missing
        "12201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
        // Data is 31 bytes
        "0801121f1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce2",
        // Type sent as length-delimited
        "0a01011220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
      })
  void publicKey_anyNonCanonicalLayout_isMalformed(String message) {
    assertRejected(Reason.MALFORMED, () -> Ed25519PublicKey.fromProtobuf(hex(message)));
  }

  @Test
  void publicKey_cutShortAnywhere_isRejected_neverMisread() {
    byte[] full = hex(SPEC_PUBLIC_KEY);
    for (int n = 0; n < full.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(full, n);
      MultiformatException e =
          assertThrows(MultiformatException.class, () -> Ed25519PublicKey.fromProtobuf(cut));
      assertTrue(e.reason() == Reason.TRUNCATED || e.reason() == Reason.MALFORMED, n + ": " + e);
    }
  }

  @Test
  void verify_acceptsTheSignature_andRejectsEveryFlippedBitOfSignatureOrMessage() {
    try (Ed25519Identity id = Ed25519Identity.generate(new SecureRandom())) {
      byte[] message = "hello libp2p".getBytes(UTF_8);
      byte[] signature = id.sign(message);
      Ed25519PublicKey key = id.publicKey();
      assertTrue(key.verify(message, signature));
      for (int bit = 0; bit < signature.length * 8; bit++) {
        byte[] flipped = signature.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        assertFalse(key.verify(message, flipped), "signature bit " + bit);
      }
      for (int bit = 0; bit < message.length * 8; bit++) {
        byte[] flipped = message.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        assertFalse(key.verify(flipped, signature), "message bit " + bit);
      }
      assertFalse(key.verify(message, java.util.Arrays.copyOf(signature, 63)));
      assertFalse(key.verify(message, java.util.Arrays.copyOf(signature, 65)));
    }
  }

  @Test
  void verify_withAKeyThatIsNotACurvePoint_isFalse_notAnException() {
    Ed25519PublicKey notAPoint = Ed25519PublicKey.of(hex("ff".repeat(32)));
    assertFalse(notAPoint.verify(new byte[0], new byte[64]));
  }

  @Test
  void publicKeys_equalByValue() {
    try (Ed25519Identity a = Ed25519Identity.fromSeed(new byte[32]);
        Ed25519Identity b = Ed25519Identity.fromSeed(new byte[32]);
        Ed25519Identity c = Ed25519Identity.generate()) {
      assertEquals(a.publicKey(), b.publicKey());
      assertEquals(a.publicKey().hashCode(), b.publicKey().hashCode());
      assertNotEquals(a.publicKey(), c.publicKey());
    }
  }

  @Test
  void close_wipesTheSeed_andLaterUseFails() {
    byte[] seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    Ed25519Identity id = Ed25519Identity.fromSeed(seed);
    seed[0] = 0; // the identity holds its own copy
    assertEquals(
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        id.publicKey().bytes().hex());
    id.close();
    assertThrows(IllegalStateException.class, () -> id.sign(new byte[0]));
    assertThrows(IllegalStateException.class, id::seed);
    assertThrows(IllegalStateException.class, id::toProtobuf);
  }

  @Test
  void toString_namesThePeer_andNeverTheSeed() throws Exception {
    try (Ed25519Identity id = Ed25519Identity.fromProtobuf(hex(SPEC_PRIVATE_KEY))) {
      String text = id.toString();
      assertTrue(text.contains("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"), text);
      assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains("7e0830617c"), text);
    }
  }

  @Test
  void fromSeed_wrongLength_isAProgrammerError() {
    assertThrows(IllegalArgumentException.class, () -> Ed25519Identity.fromSeed(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Ed25519PublicKey.of(new byte[33]));
  }

  interface Parse {
    Object run() throws MultiformatException;
  }

  static MultiformatException assertRejected(Reason reason, Parse parse) {
    MultiformatException e = assertThrows(MultiformatException.class, parse::run);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }
}
