package dev.mnode.p2p.multiformats;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** base58btc, base32 and multibase, against the multibase and RFC 4648 test vectors. */
class BasesTest {
  private static final String BASIC = "yes mani !";
  private static final String LEADING_ZERO = "\0yes mani !";
  private static final String TWO_LEADING_ZEROS = "\0\0yes mani !";

  private static byte[] bytes(String latin1) {
    return latin1.getBytes(ISO_8859_1);
  }

  /** multiformats/multibase tests/basic.csv, leading_zero.csv, two_leading_zeros.csv. */
  @Test
  void multibaseVectors_base58btc() throws Exception {
    assertVector(Multibase.BASE58BTC, BASIC, "z7paNL19xttacUY");
    assertVector(Multibase.BASE58BTC, LEADING_ZERO, "z17paNL19xttacUY");
    assertVector(Multibase.BASE58BTC, TWO_LEADING_ZEROS, "z117paNL19xttacUY");
  }

  @Test
  void multibaseVectors_base32() throws Exception {
    assertVector(Multibase.BASE32, BASIC, "bpfsxgidnmfxgsibb");
    assertVector(Multibase.BASE32, LEADING_ZERO, "bab4wk4zanvqw42jaee");
    assertVector(Multibase.BASE32, TWO_LEADING_ZEROS, "baaahszltebwwc3tjeaqq");
    assertVector(Multibase.BASE32_UPPER, BASIC, "BPFSXGIDNMFXGSIBB");
    assertVector(Multibase.BASE32_UPPER, LEADING_ZERO, "BAB4WK4ZANVQW42JAEE");
  }

  @Test
  void multibaseVectors_base36() throws Exception {
    assertVector(Multibase.BASE36, BASIC, "k2lcpzo5yikidynfl");
    assertVector(Multibase.BASE36, LEADING_ZERO, "k02lcpzo5yikidynfl");
    assertVector(Multibase.BASE36, TWO_LEADING_ZEROS, "k002lcpzo5yikidynfl");
    assertVector(Multibase.BASE36_UPPER, BASIC, "K2LCPZO5YIKIDYNFL");
  }

  /** multiformats/multibase tests/case_insensitivity.csv: mixed case must decode. */
  @ParameterizedTest
  @CsvSource({
    "bnbswy3dpeB3W64TMMQ",
    "Bnbswy3dpeB3W64TMMQ",
    "kfUvrsIvVnfRbjWaJo",
    "KfUVrSIVVnFRbJWAJo"
  })
  void multibaseVectors_caseInsensitiveBasesDecodeMixedCase(String text) throws Exception {
    assertArrayEquals(bytes("hello world"), Multibase.decode(text));
  }

  private static void assertVector(Multibase base, String data, String text) throws Exception {
    assertEquals(text, base.encode(bytes(data)));
    assertArrayEquals(bytes(data), Multibase.decode(text));
  }

  /** RFC 4648 section 10, lowercased and without padding as multibase 'b' writes it. */
  @ParameterizedTest
  @CsvSource({
    "'', ''",
    "f, my",
    "fo, mzxq",
    "foo, mzxw6",
    "foob, mzxw6yq",
    "fooba, mzxw6ytb",
    "foobar, mzxw6ytboi"
  })
  void rfc4648Vectors_base32(String data, String text) throws Exception {
    assertEquals(text, Base32.encode(bytes(data)));
    assertArrayEquals(bytes(data), Base32.decode(text));
  }

  @ParameterizedTest
  @CsvSource({"MY======", "my=", "m", "mzx", "mzxw6y", "my!", "m1", "m8"})
  void base32_paddingImpossibleLengthsAndForeignCharacters_areMalformed(String text) {
    MultiformatException e = assertThrows(MultiformatException.class, () -> Base32.decode(text));
    assertEquals(Reason.MALFORMED, e.reason());
  }

  @Test
  void base32_nonZeroUnusedBits_areRejected_soDecodingIsCanonical() {
    // "my" is 'f'; "mz" would set one of the two unused trailing bits.
    MultiformatException e = assertThrows(MultiformatException.class, () -> Base32.decode("mz"));
    assertEquals(Reason.MALFORMED, e.reason());
  }

  @ParameterizedTest
  @CsvSource({"0", "O", "I", "l", "+", "/", "é"})
  void base58btc_charactersOutsideTheAlphabet_areMalformedAndNamed(String bad) {
    MultiformatException e =
        assertThrows(MultiformatException.class, () -> Base58Btc.decode("2" + bad + "3"));
    assertEquals(Reason.MALFORMED, e.reason());
    assertEquals(true, e.getMessage().contains("index 1"), e.getMessage());
  }

  @Test
  void base58btc_emptyAndAllZeroBytes() throws Exception {
    assertEquals("", Base58Btc.encode(new byte[0]));
    assertArrayEquals(new byte[0], Base58Btc.decode(""));
    assertEquals("111", Base58Btc.encode(new byte[3]));
    assertArrayEquals(new byte[3], Base58Btc.decode("111"));
  }

  @Test
  void base58btc_overLongText_isRejectedBeforeTheQuadraticDecode() {
    String text = "2".repeat(Base58Btc.MAX_DECODE_CHARS + 1);
    MultiformatException e = assertThrows(MultiformatException.class, () -> Base58Btc.decode(text));
    assertEquals(Reason.TOO_LONG, e.reason());
  }

  @Test
  void multibase_unknownPrefix_isUnsupported_andEmptyIsMalformed() {
    MultiformatException unknown =
        assertThrows(MultiformatException.class, () -> Multibase.decode("mAAAA"));
    assertEquals(Reason.UNSUPPORTED, unknown.reason());
    MultiformatException empty =
        assertThrows(MultiformatException.class, () -> Multibase.decode(""));
    assertEquals(Reason.MALFORMED, empty.reason());
  }

  @Test
  void everyBase_roundTripsRandomBytes_withLeadingZeros() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] data = new byte[random.nextInt(70)];
      random.nextBytes(data);
      for (int z = 0; z < Math.min(data.length, i % 4); z++) {
        data[z] = 0;
      }
      for (Multibase base : Multibase.values()) {
        assertArrayEquals(data, Multibase.decode(base.encode(data)), base + " " + i);
      }
      assertArrayEquals(data, Base58Btc.decode(Base58Btc.encode(data)));
      assertArrayEquals(data, Base32.decode(Base32.encode(data)));
    }
  }
}
