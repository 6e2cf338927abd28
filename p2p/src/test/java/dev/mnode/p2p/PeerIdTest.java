package dev.mnode.p2p;

import static dev.mnode.p2p.Ed25519KeysTest.SPEC_PRIVATE_KEY;
import static dev.mnode.p2p.Ed25519KeysTest.SPEC_PUBLIC_KEY;
import static dev.mnode.p2p.Ed25519KeysTest.assertRejected;
import static dev.mnode.p2p.Ed25519KeysTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.multiformats.Bytes;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import dev.mnode.p2p.multiformats.Multihash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerIdTest {
  /**
   * The peer id of the peer-ids spec's Ed25519 test key, as go-libp2p asserts it
   * (p2p/http/auth/auth_test.go TestWalkthroughInSpec).
   */
  static final String SPEC_KEY_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

  @Test
  void specKey_givesTheIdentityPeerIdGoLibp2pComputes() throws Exception {
    Ed25519PublicKey key = Ed25519PublicKey.fromProtobuf(hex(SPEC_PUBLIC_KEY));
    PeerId id = key.toPeerId();
    assertEquals(SPEC_KEY_PEER_ID, id.toBase58());
    assertEquals(SPEC_KEY_PEER_ID, id.toString());
    assertEquals("0024" + SPEC_PUBLIC_KEY, Bytes.copyOf(id.toBytes()).hex());
    assertTrue(id.hasInlinePublicKey());
    assertEquals(key, id.publicKey());
    try (Ed25519Identity identity = Ed25519Identity.fromProtobuf(hex(SPEC_PRIVATE_KEY))) {
      assertEquals(id, identity.peerId());
    }
  }

  /** go-libp2p TestWalkthroughInSpec: the peer id of the all-zero seed. */
  @Test
  void zeroSeed_givesGoLibp2psPeerId() {
    try (Ed25519Identity zero = Ed25519Identity.fromSeed(new byte[32])) {
      assertEquals(
          "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN", zero.peerId().toString());
    }
  }

  /**
   * The peer-ids spec's examples: an Ed25519 identity id, and one sha2-256 id in both text forms
   * (the spec's QmYyQ... and bafzbeie... name the same peer).
   */
  @Test
  void specExamples_parse_andTheirTwoFormsAgree() throws Exception {
    PeerId ed = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    assertTrue(ed.hasInlinePublicKey());
    assertEquals(ed, ed.publicKey().toPeerId());
    assertEquals("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", ed.toBase58());

    PeerId base58 = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertEquals(base58, cid);
    assertEquals("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", base58.toCid());
    assertEquals("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", cid.toBase58());
    assertFalse(base58.hasInlinePublicKey());
  }

  /**
   * go-multiaddr multiaddr_test.go "good" /p2p values: each row is one peer in base58btc, base32
   * CIDv1 and base36 CIDv1.
   */
  @ParameterizedTest
  @CsvSource({
    "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV,"
        + " bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u,"
        + " k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs",
    "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC,"
        + " bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm,"
        + " k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7"
  })
  void goMultiaddrVectors_allThreeTextFormsNameOnePeer(String base58, String cid, String base36)
      throws Exception {
    PeerId id = PeerId.parse(base58);
    assertEquals(id, PeerId.parse(cid));
    assertEquals(id, PeerId.parse(base36));
    assertEquals(base58, id.toBase58());
    assertEquals(cid, id.toCid());
    assertEquals(id, PeerId.parse(cid.toUpperCase(java.util.Locale.ROOT))); // multibase B
  }

  @Test
  void publicKey_ofASha256PeerId_isUnsupported_withAMessageThatSaysWhy() throws Exception {
    PeerId hashed = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    MultiformatException e = assertRejected(Reason.UNSUPPORTED, hashed::publicKey);
    assertTrue(e.getMessage().contains("sha2-256 hash"), e.getMessage());
    assertTrue(e.getMessage().contains("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"));
  }

  @Test
  void publicKey_ofAnIdentityIdCarryingAnotherKeyType_isUnsupported() throws Exception {
    PeerId secp = PeerId.fromBytes(hex("0025" + Ed25519KeysTest.SPEC_SECP256K1_PUBLIC_KEY));
    assertRejected(Reason.UNSUPPORTED, secp::publicKey);
  }

  @Test
  void fromPublicKey_usesIdentityMultihash_becauseEd25519KeysEncodeToAtMost42Bytes() {
    try (Ed25519Identity id = Ed25519Identity.generate()) {
      Multihash mh = id.peerId().multihash();
      assertTrue(mh.isIdentity());
      assertEquals(36, mh.digest().length());
      assertTrue(id.peerId().toBase58().startsWith("12D3KooW"));
      assertTrue(id.peerId().toCid().startsWith("bafzaa"));
    }
  }

  /**
   * go-multiaddr TestConstructFails: "sha256 multihash with digest len > 32". Its multihash
   * announces 33 digest bytes and holds 32, so it is cut short.
   */
  @Test
  void goVector_sha256IdAnnouncingA33ByteDigest_isRejected() {
    MultiformatException e =
        assertRejected(
            Reason.TRUNCATED, () -> PeerId.parse("QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY"));
    assertTrue(e.getMessage().contains("length 33 announced but only 32"), e.getMessage());
  }

  @Test
  void sha256IdWhoseDigestIsNot32Bytes_isMalformed() {
    byte[] mh = new byte[2 + 33];
    mh[0] = 0x12;
    mh[1] = 33;
    MultiformatException e = assertRejected(Reason.MALFORMED, () -> PeerId.fromBytes(mh));
    assertTrue(e.getMessage().contains("32-byte digest"), e.getMessage());
  }

  /**
   * go-multiaddr TestInvalidP2PAddrString: a CID with the dag-pb codec (0x70) is not a peer id, nor
   * is a character outside base36.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "k2jmtxwoe2phm1hbqp0e7nufqf6umvuu2e9qd7ana7h411a0haqj6i2z",
        "k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-",
        "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5S", // one character short
        "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA1",
        "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5", // digest cut short
        "1",
      })
  void notAPeerId_isRejected(String text) {
    MultiformatException e = assertThrows(MultiformatException.class, () -> PeerId.parse(text));
    assertTrue(e.reason() != Reason.UNSUPPORTED, e.reason() + " " + e);
  }

  @Test
  void cidVersionAndCodec_areChecked() throws Exception {
    PeerId id = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    byte[] mh = id.toBytes();
    byte[] v2 = new byte[mh.length + 2];
    v2[0] = 2;
    v2[1] = 0x72;
    System.arraycopy(mh, 0, v2, 2, mh.length);
    MultiformatException version =
        assertRejected(
            Reason.MALFORMED,
            () -> PeerId.parse(dev.mnode.p2p.multiformats.Multibase.BASE32.encode(v2)));
    assertTrue(version.getMessage().contains("CID version 2"), version.getMessage());
  }

  @Test
  void unknownMultibase_isUnsupported_andOverLongTextTooLong() {
    assertRejected(Reason.UNSUPPORTED, () -> PeerId.parse("mAXIkIA"));
    assertRejected(Reason.TOO_LONG, () -> PeerId.parse("Qm" + "a".repeat(PeerId.MAX_TEXT_CHARS)));
    assertRejected(Reason.MALFORMED, () -> PeerId.parse(""));
  }

  @Test
  void identityIdOver42Bytes_isRejectedFromBytes_andByTheConstructor() {
    byte[] big = new byte[2 + 43];
    big[1] = 43;
    assertRejected(Reason.MALFORMED, () -> PeerId.fromBytes(big));
    assertThrows(
        IllegalArgumentException.class, () -> new PeerId(Multihash.identity(new byte[43])));
    assertThrows(IllegalArgumentException.class, () -> new PeerId(Multihash.identity(new byte[0])));
  }
}
