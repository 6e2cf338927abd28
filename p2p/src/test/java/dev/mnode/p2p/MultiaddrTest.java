package dev.mnode.p2p;

import static dev.mnode.p2p.Ed25519KeysTest.assertRejected;
import static dev.mnode.p2p.Ed25519KeysTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.MultiformatException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
  private static final String QM = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";
  private static final String QM_HEX =
      "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b";

  /**
   * Text and binary pairs. Sources: the task brief (/tcp/4001); multiformats/multiaddr
   * test/multiaddr.feature; go-multiaddr multiaddr_test.go TestStringToBytes; rust-multiaddr
   * tests/lib.rs construct_success (the rest).
   */
  @ParameterizedTest
  @CsvSource({
    "/ip4/127.0.0.1/tcp/4001, 047f000001060fa1",
    "/ip4/192.0.2.42/tcp/443, 04c000022a0601bb",
    "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
    "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
    "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
    "/ip4/1.2.3.4, 0401020304",
    "/ip4/0.0.0.0, 0400000000",
    "/ip6/::1, 2900000000000000000000000000000001",
    "/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21, 29260100094f819700803eca6566e80c21",
    "/udp/0, 91020000",
    "/tcp/0, 060000",
    "/udp/65535, 9102ffff",
    "/tcp/65535, 06ffff",
    "/p2p/" + QM + ", " + QM_HEX,
    "/p2p/" + QM + "/tcp/1234, " + QM_HEX + "0604d2",
    "/ip4/127.0.0.1/p2p/" + QM + "/tcp/1234, 047f000001" + QM_HEX + "0604d2",
    "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/ws/p2p/"
        + QM
        + ","
        + " 29200108a07ac542013ac986fffe317095061f40dd03"
        + QM_HEX,
    "/ip4/127.0.0.1/tcp/9090/p2p-circuit/p2p/" + QM + ", 047f000001062382a202" + QM_HEX,
    "/dnsaddr/sjc-1.bootstrap.libp2p.io, 3819736a632d312e626f6f7473747261702e6c69627032702e696f",
    "/dnsaddr/sjc-1.bootstrap.libp2p.io/tcp/1234/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN,"
        + " 3819736a632d312e626f6f7473747261702e6c69627032702e696f0604d2a503221220"
        + "06b3608aa000274049eb28ad8e793a26ff6fab281a7d3bd77cd18eb745dfaabb",
    "/ip4/127.0.0.1/tcp/127/ws, 047f00000106007fdd03",
    "/ip4/127.0.0.1/tcp/127/tls, 047f00000106007fc003",
    "/ip4/127.0.0.1/tcp/127/tls/ws, 047f00000106007fc003dd03",
    "/ip4/127.0.0.1/tcp/127/noise, 047f00000106007fc603",
  })
  void specAndImplementationVectors_textAndBytesRoundTrip(String text, String binary)
      throws Exception {
    Multiaddr fromText = Multiaddr.parse(text);
    assertEquals(binary, hexOf(fromText.toBytes()));
    Multiaddr fromBytes = Multiaddr.fromBytes(hex(binary));
    assertEquals(text, fromBytes.toString());
    assertEquals(fromText, fromBytes);
    assertEquals(binary.length() / 2, fromText.encodedLength());
  }

  /** dns, dns4, dns6 (codes 53, 54, 55): a varint length, then the name's UTF-8 bytes. */
  @Test
  void dnsNames_areLengthPrefixedUtf8() throws Exception {
    assertEquals(
        "350b6578616d706c652e636f6d0601bb",
        hexOf(Multiaddr.parse("/dns/example.com/tcp/443").toBytes()));
    assertEquals("36016106000a", hexOf(Multiaddr.parse("/dns4/a/tcp/10").toBytes()));
    assertEquals("37016191020035", hexOf(Multiaddr.parse("/dns6/a/udp/53").toBytes()));
    Multiaddr unicode = Multiaddr.parse("/dns4/bücher.example");
    assertEquals("/dns4/bücher.example", Multiaddr.fromBytes(unicode.toBytes()).toString());
  }

  /** IPv6 is printed as RFC 5952 prescribes; IPv4-mapped as go-multiaddr prints it. */
  @ParameterizedTest
  @CsvSource({
    "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "::, ::",
    "1::, 1::",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "fe80::0:0:1, fe80::1",
    "::ffff:127.0.0.1, ::ffff:127.0.0.1",
    "::ffff:7f00:1, ::ffff:127.0.0.1",
    "0:0:0:0:0:ffff:192.0.2.1, ::ffff:192.0.2.1",
    "::7f00:1, ::7f00:1",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
  })
  void ip6_isPrintedCanonically(String input, String canonical) throws Exception {
    Multiaddr m = Multiaddr.parse("/ip6/" + input + "/tcp/111");
    assertEquals("/ip6/" + canonical + "/tcp/111", m.toString());
    assertEquals(m, Multiaddr.parse(m.toString()));
  }

  /** go-multiaddr TestIPFSvP2P: the legacy /ipfs name is read and printed as /p2p. */
  @Test
  void legacyIpfsName_isReadAsP2p() throws Exception {
    Multiaddr legacy = Multiaddr.parse("/ipfs/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP");
    assertEquals("/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP", legacy.toString());
  }

  @Test
  void p2pValuesInCidForm_areReadAndPrintedAsBase58() throws Exception {
    assertEquals(
        "/ip4/127.0.0.1/tcp/1234/p2p/" + QM,
        Multiaddr.parse(
                "/ip4/127.0.0.1/tcp/1234/p2p/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm")
            .toString());
    assertEquals(
        "/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
        Multiaddr.parse("/p2p/k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs")
            .toString());
  }

  @Test
  void trailingSlashesAndLeadingZeroPortDigits_areAccepted_andDroppedWhenPrinted()
      throws Exception {
    assertEquals("/ip4/127.0.0.1/tcp/80", Multiaddr.parse("/ip4/127.0.0.1/tcp/0080/").toString());
  }

  /**
   * Failures from go-multiaddr TestConstructFails and rust-multiaddr construct_fail that concern
   * the protocols supported here, plus a few more.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ip4",
        "/ip4/::1",
        "/ip4/fdpsofodsajfdoisa",
        "/ip6",
        "/udp",
        "/tcp",
        "/udp/65536",
        "/tcp/65536",
        "/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa",
        "/ip4/127.0.0.1/udp",
        "/ip4/127.0.0.1/tcp/jfodsajfidosajfoidsa",
        "/ip4/127.0.0.1/tcp",
        "/ip4/127.0.0.1/ipfs",
        "/ip4/127.0.0.1/ipfs/tcp",
        "/ip4/127.0.0.1/p2p",
        "/ip4/127.0.0.1/p2p/tcp",
        "/ip4/1.2.3.4/tcp/-1",
        "/",
        "",
        "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY",
        "/p2p/k2jmtxwoe2phm1hbqp0e7nufqf6umvuu2e9qd7ana7h411a0haqj6i2z",
        "/p2p-circuit/50",
        "ip4/1.2.3.4",
        "/ip4/01.2.3.4",
        "/ip4/1.2.3.256",
        "/ip4/1.2.3",
        "/ip6/1.2.3.4",
        "/ip6/1:2:3:4:5:6:7",
        "/ip6/1:2:3:4:5:6:7:8:9",
        "/ip6/1::2::3",
        "/ip6/:1::",
        "/ip6/12345::",
        "/ip6/fe80::1%eth0",
        "/ip6/[::1]",
        "/ip4/1.2.3.4//tcp/1",
        "/TCP/1",
        "/dns4/a b",
        "/tcp/+80",
        "/tcp/000080",
        "/noise/x",
      })
  void invalidText_isRejected(String text) {
    assertThrows(MultiformatException.class, () -> Multiaddr.parse(text));
  }

  @Test
  void errors_areOneLine_andNameTheBadComponent() {
    MultiformatException port =
        assertRejected(Reason.MALFORMED, () -> Multiaddr.parse("/ip4/1.2.3.4/tcp/99999/noise"));
    assertTrue(port.getMessage().contains("/tcp/99999"), port.getMessage());
    assertFalse(port.getMessage().contains("\n"));

    MultiformatException ip =
        assertRejected(Reason.MALFORMED, () -> Multiaddr.parse("/ip4/1.2.3.999/tcp/1"));
    assertTrue(ip.getMessage().contains("/ip4/1.2.3.999"), ip.getMessage());

    MultiformatException unknown =
        assertRejected(Reason.UNSUPPORTED, () -> Multiaddr.parse("/ip4/1.2.3.4/sctp/1"));
    assertTrue(unknown.getMessage().contains("'sctp'"), unknown.getMessage());

    MultiformatException missing =
        assertRejected(Reason.MALFORMED, () -> Multiaddr.parse("/ip4/1.2.3.4/tcp"));
    assertTrue(missing.getMessage().contains("/tcp"), missing.getMessage());

    MultiformatException control =
        assertRejected(Reason.MALFORMED, () -> Multiaddr.parse("/dns4/evil\nname"));
    assertFalse(control.getMessage().contains("\n"), control.getMessage());
  }

  /** go-multiaddr TestInvalidP2PAddrBytes: the multihash inside /p2p announces 33 bytes, has 32. */
  @Test
  void invalidP2pBytes_fromGoMultiaddr_areRejected() {
    assertThrows(
        MultiformatException.class,
        () ->
            Multiaddr.fromBytes(
                hex("a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e344e26f8d280c850fad6")));
  }

  @Test
  void binaryErrors_nameTheComponentAndByteOffset() {
    MultiformatException unknown =
        assertRejected(Reason.UNSUPPORTED, () -> Multiaddr.fromBytes(hex("047f0000019003")));
    assertTrue(unknown.getMessage().contains("component 1 at byte 5"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("400"), unknown.getMessage()); // /unix

    MultiformatException port =
        assertRejected(Reason.TRUNCATED, () -> Multiaddr.fromBytes(hex("047f00000106ff")));
    assertTrue(port.getMessage().contains("/tcp"), port.getMessage());

    assertRejected(Reason.MALFORMED, () -> Multiaddr.fromBytes(new byte[0]));
    assertRejected(Reason.TRUNCATED, () -> Multiaddr.fromBytes(hex("047f00000180"))); // code cut
    assertRejected(Reason.MALFORMED, () -> Multiaddr.fromBytes(hex("8600"))); // non-minimal 6
    assertRejected(Reason.MALFORMED, () -> Multiaddr.fromBytes(hex("3500"))); // empty dns
    assertRejected(Reason.MALFORMED, () -> Multiaddr.fromBytes(hex("3501ff"))); // not UTF-8
    assertRejected(Reason.MALFORMED, () -> Multiaddr.fromBytes(hex("35012f"))); // '/'
  }

  @Test
  void everyCutThatIsNotAComponentBoundary_isRejected() throws Exception {
    byte[] full = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + QM).toBytes();
    List<Integer> boundaries = List.of(5, 8, full.length);
    for (int n = 1; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      if (boundaries.contains(n)) {
        Multiaddr.fromBytes(cut);
      } else {
        assertThrows(MultiformatException.class, () -> Multiaddr.fromBytes(cut), "cut at " + n);
      }
    }
  }

  @Test
  void maximumLengths_areEnforced_inBothFormsAndTheConstructor() {
    byte[] tooLong = new byte[Multiaddr.MAX_BYTES + 1];
    assertRejected(Reason.TOO_LONG, () -> Multiaddr.fromBytes(tooLong));

    // 342 /tcp components are 1026 bytes in 3420 characters: short text, long binary.
    String manyPorts = "/tcp/65535".repeat(Multiaddr.MAX_BYTES / 3 + 1);
    assertRejected(Reason.TOO_LONG, () -> Multiaddr.parse(manyPorts));
    assertRejected(
        Reason.TOO_LONG, () -> Multiaddr.parse("/" + "a".repeat(Multiaddr.MAX_TEXT_CHARS)));

    MultiaddrComponent port = MultiaddrComponent.tcp(1);
    MultiaddrComponent[] components = new MultiaddrComponent[Multiaddr.MAX_BYTES / 3 + 1];
    Arrays.fill(components, port);
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.of(components));
  }

  @Test
  void longestAllowedAddress_parsesFromBothForms() throws Exception {
    // 204 /ip4 components are 1020 bytes; their text, 4 characters a byte, is the densest form.
    String text = "/ip4/255.255.255.255".repeat(Multiaddr.MAX_BYTES / 5);
    Multiaddr m = Multiaddr.parse(text);
    assertEquals(1020, m.toBytes().length);
    assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
    assertTrue(text.length() <= Multiaddr.MAX_TEXT_CHARS);
  }

  @Test
  void accessors_readPortHostAndPeerId() throws Exception {
    Multiaddr m = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + QM);
    assertEquals(OptionalInt.of(4001), m.tcpPort());
    assertEquals("127.0.0.1", m.host().orElseThrow().valueText());
    assertEquals(MultiaddrProtocol.IP4, m.host().orElseThrow().protocol());
    assertEquals(Optional.of(PeerId.parse(QM)), m.peerId());

    Multiaddr dns = Multiaddr.parse("/dns6/example.com/udp/53");
    assertEquals("example.com", dns.host().orElseThrow().valueText());
    assertEquals(OptionalInt.empty(), dns.tcpPort());
    assertEquals(Optional.empty(), dns.peerId());

    Multiaddr relayed =
        Multiaddr.parse(
            "/ip4/1.2.3.4/tcp/1/p2p/"
                + QM
                + "/p2p-circuit/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");
    assertEquals(
        "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
        relayed.peerId().orElseThrow().toString());
  }

  @Test
  void withPeerId_appendsOnce_andWithoutPeerIdStripsTheLastP2p() throws Exception {
    PeerId peer = PeerId.parse(QM);
    Multiaddr transport = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    Multiaddr full = transport.withPeerId(peer);
    assertEquals("/ip4/127.0.0.1/tcp/4001/p2p/" + QM, full.toString());
    assertSame(full, full.withPeerId(peer));
    assertEquals(transport, full.withoutPeerId());
    assertSame(transport, transport.withoutPeerId());

    PeerId other = PeerId.parse("12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV");
    assertThrows(IllegalArgumentException.class, () -> full.withPeerId(other));

    Multiaddr bare = Multiaddr.parse("/p2p/" + QM).withoutPeerId();
    assertTrue(bare.isEmpty());
    assertEquals("", bare.toString());
    assertEquals(0, bare.toBytes().length);
  }

  @Test
  void components_canBeBuiltInCode_andAreValidated() throws Exception {
    Multiaddr built =
        Multiaddr.of(
            MultiaddrComponent.parse(MultiaddrProtocol.IP6, "::1"),
            MultiaddrComponent.tcp(4001),
            MultiaddrComponent.parse(MultiaddrProtocol.NOISE, ""));
    assertEquals("/ip6/::1/tcp/4001/noise", built.toString());
    assertThrows(IllegalArgumentException.class, () -> MultiaddrComponent.tcp(65536));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MultiaddrComponent(
                MultiaddrProtocol.IP4, dev.mnode.p2p.multiformats.Bytes.fromHex("7f0000")));
    assertRejected(
        Reason.MALFORMED, () -> MultiaddrComponent.parse(MultiaddrProtocol.TLS, "value"));
  }

  @Test
  void components_listIsImmutable() throws Exception {
    Multiaddr m = Multiaddr.parse("/tcp/1");
    assertThrows(
        UnsupportedOperationException.class, () -> m.components().add(MultiaddrComponent.tcp(2)));
  }

  @Test
  void protocolTable_matchesTheMultiaddrProtocolsCsv() {
    assertEquals(4, MultiaddrProtocol.IP4.code());
    assertEquals(6, MultiaddrProtocol.TCP.code());
    assertEquals(273, MultiaddrProtocol.UDP.code());
    assertEquals(41, MultiaddrProtocol.IP6.code());
    assertEquals(53, MultiaddrProtocol.DNS.code());
    assertEquals(54, MultiaddrProtocol.DNS4.code());
    assertEquals(55, MultiaddrProtocol.DNS6.code());
    assertEquals(421, MultiaddrProtocol.P2P.code());
    assertEquals(448, MultiaddrProtocol.TLS.code());
    assertEquals(454, MultiaddrProtocol.NOISE.code());
    assertEquals(Optional.of(MultiaddrProtocol.P2P), MultiaddrProtocol.forName("ipfs"));
    assertEquals(Optional.empty(), MultiaddrProtocol.forCode(-1));
    assertEquals(Optional.empty(), MultiaddrProtocol.forCode(1L << 40));
  }

  private static String hexOf(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
