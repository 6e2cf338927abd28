package dev.mnode.p2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.multiformats.Base32;
import dev.mnode.p2p.multiformats.Base58Btc;
import dev.mnode.p2p.multiformats.Multibase;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.multiformats.Multihash;
import dev.mnode.p2p.multiformats.UnsignedVarint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of every parser in this module with random and mutated input (fixed seed, fixed
 * count, a hard time limit). The only outcome allowed besides success is {@link
 * MultiformatException} with a one-line message; anything else, or a hang, fails. Whatever parses
 * must re-encode to what was read (binary) or re-parse to the same value (text).
 */
class MultiformatFuzzTest {
  private static final long SEED = 0x6d6e6f6465L; // "mnode"
  private static final int ROUNDS = FuzzBudget.rounds(4_000); // per parser
  private static final Duration LIMIT = FuzzBudget.limit(Duration.ofSeconds(60));
  private static final int MAX_MESSAGE_CHARS = 600;

  private static final String[] BYTE_SEEDS = {
    "00",
    "7f",
    "8001",
    "ac02",
    "ffffffffffffffff7f",
    "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "0024" + Ed25519KeysTest.SPEC_PUBLIC_KEY,
    Ed25519KeysTest.SPEC_PUBLIC_KEY,
    Ed25519KeysTest.SPEC_PRIVATE_KEY,
    Ed25519KeysTest.SPEC_SECP256K1_PUBLIC_KEY,
    "047f000001060fa1",
    "047f000001910204d2047f0000010610e1",
    "29200108a07ac542013ac986fffe317095061f40dd03a503221220d52ebb89d85b02a284948203a62ff28389c"
        + "57c9f42beec4ec20db76a68911c0b",
    "3819736a632d312e626f6f7473747261702e6c69627032702e696f0604d2",
    "350b6578616d706c652e636f6d0601bbc003c603cd03a202",
  };

  private static final String[] TEXT_SEEDS = {
    "/ip4/127.0.0.1/tcp/4001",
    "/ip6/2001:db8::1/udp/443/quic-v1",
    "/ip6/::ffff:127.0.0.1/tcp/1/tls/ws",
    "/dns4/example.com/tcp/443/noise",
    "/ip4/1.2.3.4/tcp/1/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC/p2p-circuit/p2p/"
        + "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
    "/ipfs/bafzbeigvf25ytwc3akrijfecaotc74udrhcxzh2cx3we5qqnw5vgrei4bm",
    "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
    "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
    "bafzaajaiaejcalj543iwv2d7pkjt7ykvefrkfu7qjfi6sduakhso4lay6abn2d5u",
    "k51qzi5uqu5dhb6l8spkdx7yxafegfkee5by8h7lmjh2ehc2sgg34z7c15vzqs",
    "z7paNL19xttacUY",
    "bpfsxgidnmfxgsibb",
  };

  private static final String[] TEXT_PIECES = {
    "/",
    "//",
    ":",
    "::",
    ".",
    "0",
    "1",
    "9",
    "f",
    "F",
    "z",
    "Q",
    "Qm",
    "b",
    "k",
    "K",
    "B",
    "=",
    "%",
    "-",
    "+",
    " ",
    "\n",
    "\0",
    "\u00e9",
    "\ud800",
    "\ud83d\ude80",
    "ipfs",
    "p2p",
    "tcp",
    "udp",
    "ip4",
    "ip6",
    "dns",
    "dns4",
    "tls",
    "noise",
    "ws",
    "p2p-circuit",
    "65535",
    "65536",
    "255",
    "256",
    "ffff",
    "12D3KooW",
    "bafz"
  };

  interface Parser<T> {
    T parse(byte[] input) throws MultiformatException;
  }

  interface TextParser<T> {
    T parse(String input) throws MultiformatException;
  }

  interface Check<T> {
    void check(T parsed) throws Exception;
  }

  @Test
  void varint_randomAndMutatedBytes_onlyMultiformatException() {
    fuzzBytes(
        "varint",
        UnsignedVarint::decode,
        (in, v) -> assertArrayEquals(in, UnsignedVarint.encode(v)));
    fuzzBytes(
        "varint stream",
        in -> {
          ByteBuffer buf = ByteBuffer.wrap(in);
          long sum = 0;
          while (buf.hasRemaining()) {
            sum += UnsignedVarint.read(buf) & 1;
          }
          return sum;
        },
        (in, v) -> {});
  }

  @Test
  void multihashAndKeys_randomAndMutatedBytes_onlyMultiformatException() {
    fuzzBytes("multihash", Multihash::decode, (in, mh) -> assertArrayEquals(in, mh.toBytes()));
    fuzzBytes(
        "public key protobuf",
        Ed25519PublicKey::fromProtobuf,
        (in, key) -> assertArrayEquals(in, key.toProtobuf()));
    fuzzBytes(
        "private key protobuf",
        in -> {
          try (Ed25519Identity id = Ed25519Identity.fromProtobuf(in)) {
            return Ed25519Identity.fromProtobuf(id.toProtobuf()).publicKey();
          }
        },
        (in, key) -> {});
    fuzzBytes(
        "peer id bytes",
        PeerId::fromBytes,
        (in, id) -> {
          assertArrayEquals(in, id.toBytes());
          assertEquals(id, PeerId.parse(id.toBase58()));
          assertEquals(id, PeerId.parse(id.toCid()));
        });
  }

  @Test
  void multiaddrBytes_randomAndMutated_onlyMultiformatException() {
    fuzzBytes(
        "multiaddr bytes",
        Multiaddr::fromBytes,
        (in, m) -> {
          assertArrayEquals(in, m.toBytes());
          assertEquals(m, Multiaddr.parse(m.toString()));
        });
  }

  @Test
  void bases_randomAndMutatedText_onlyMultiformatException() {
    fuzzText("base58btc", Base58Btc::decode, (in, b) -> assertEquals(in, Base58Btc.encode(b)));
    fuzzText(
        "base32",
        Base32::decode,
        (in, b) -> assertEquals(in.toLowerCase(Locale.ROOT), Base32.encode(b)));
    fuzzText(
        "multibase",
        Multibase::decode,
        (in, b) -> {
          Multibase base =
              switch (in.charAt(0)) {
                case 'b', 'B' -> Multibase.BASE32;
                case 'k', 'K' -> Multibase.BASE36;
                default -> Multibase.BASE58BTC;
              };
          String expected = base == Multibase.BASE58BTC ? in : in.toLowerCase(Locale.ROOT);
          assertEquals(expected.substring(1), base.encode(b).substring(1));
        });
  }

  @Test
  void peerIdAndMultiaddrText_randomAndMutated_onlyMultiformatException() {
    fuzzText(
        "peer id text", PeerId::parse, (in, id) -> assertEquals(id, PeerId.parse(id.toString())));
    fuzzText(
        "multiaddr text",
        Multiaddr::parse,
        (in, m) -> {
          assertEquals(m, Multiaddr.parse(m.toString()));
          assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
        });
  }

  private interface BiCheck<T> {
    void check(byte[] input, T parsed) throws Exception;
  }

  private interface TextBiCheck<T> {
    void check(String input, T parsed) throws Exception;
  }

  private static <T> void fuzzBytes(String name, Parser<T> parser, BiCheck<T> check) {
    Random random = new Random(SEED ^ name.hashCode());
    List<byte[]> seeds = new ArrayList<>();
    for (String s : BYTE_SEEDS) {
      seeds.add(HexFormat.of().parseHex(s));
    }
    int[] accepted = {0};
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(random, seeds);
            T parsed;
            try {
              parsed = parser.parse(input);
            } catch (MultiformatException e) {
              assertGoodMessage(name, HexFormat.of().formatHex(input), e);
              continue;
            } catch (RuntimeException | Error e) {
              throw new AssertionError(
                  name + " threw " + e + " for " + HexFormat.of().formatHex(input), e);
            }
            accepted[0]++;
            try {
              check.check(input, parsed);
            } catch (Exception | AssertionError e) {
              throw new AssertionError(
                  name + " round trip failed for " + HexFormat.of().formatHex(input), e);
            }
          }
        },
        name + " did not finish in " + LIMIT);
    assertTrue(accepted[0] > 0, name + ": no fuzz input parsed; the mutations are too wild");
  }

  private static <T> void fuzzText(String name, TextParser<T> parser, TextBiCheck<T> check) {
    Random random = new Random(SEED ^ name.hashCode());
    int[] accepted = {0};
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int round = 0; round < ROUNDS; round++) {
            String input = mutate(random);
            T parsed;
            try {
              parsed = parser.parse(input);
            } catch (MultiformatException e) {
              assertGoodMessage(name, MultiformatException.excerpt(input), e);
              continue;
            } catch (RuntimeException | Error e) {
              throw new AssertionError(
                  name + " threw " + e + " for '" + MultiformatException.excerpt(input) + "'", e);
            }
            accepted[0]++;
            try {
              check.check(input, parsed);
            } catch (Exception | AssertionError e) {
              throw new AssertionError(
                  name + " round trip failed for '" + MultiformatException.excerpt(input) + "'", e);
            }
          }
        },
        name + " did not finish in " + LIMIT);
    assertTrue(accepted[0] > 0, name + ": no fuzz input parsed; the mutations are too wild");
  }

  private static void assertGoodMessage(String name, String input, MultiformatException e) {
    String message = e.getMessage();
    assertTrue(
        message != null
            && !message.isEmpty()
            && message.length() <= MAX_MESSAGE_CHARS
            && message.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
        name + " gave a message that is not one short printable line for " + input + ": " + e);
  }

  private static byte[] mutate(Random random, List<byte[]> seeds) {
    byte[] base = seeds.get(random.nextInt(seeds.size()));
    switch (random.nextInt(9)) {
      case 0 -> {
        byte[] junk = new byte[random.nextInt(48)];
        random.nextBytes(junk);
        return junk;
      }
      case 1 -> {
        byte[] b = base.clone();
        if (b.length > 0) {
          int bit = random.nextInt(b.length * 8);
          b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return b;
      }
      case 2 -> {
        byte[] b = base.clone();
        if (b.length > 0) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 3 -> {
        return Arrays.copyOf(base, random.nextInt(base.length + 1));
      }
      case 4 -> {
        int at = random.nextInt(base.length + 1);
        byte[] b = new byte[base.length + 1];
        System.arraycopy(base, 0, b, 0, at);
        b[at] = (byte) (random.nextBoolean() ? 0x80 | random.nextInt(128) : random.nextInt(256));
        System.arraycopy(base, at, b, at + 1, base.length - at);
        return b;
      }
      case 5 -> {
        if (base.length == 0) {
          return base;
        }
        int at = random.nextInt(base.length);
        byte[] b = new byte[base.length - 1];
        System.arraycopy(base, 0, b, 0, at);
        System.arraycopy(base, at + 1, b, at, base.length - at - 1);
        return b;
      }
      case 6 -> {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        byte[] b = Arrays.copyOf(base, base.length + other.length);
        System.arraycopy(other, 0, b, base.length, other.length);
        return b;
      }
      case 7 -> {
        byte[] b = new byte[1 + random.nextInt(12)];
        Arrays.fill(b, (byte) 0xff);
        b[b.length - 1] = (byte) random.nextInt(128);
        return b;
      }
      default -> {
        return base.clone(); // the seed as is, so each parser sees valid input too
      }
    }
  }

  private static String mutate(Random random) {
    String base = TEXT_SEEDS[random.nextInt(TEXT_SEEDS.length)];
    String piece = TEXT_PIECES[random.nextInt(TEXT_PIECES.length)];
    switch (random.nextInt(9)) {
      case 0 -> {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
          sb.append(TEXT_PIECES[random.nextInt(TEXT_PIECES.length)]);
        }
        return sb.toString();
      }
      case 1 -> {
        int at = random.nextInt(base.length());
        return base.substring(0, at) + piece + base.substring(at + 1);
      }
      case 2 -> {
        int at = random.nextInt(base.length() + 1);
        return base.substring(0, at) + piece + base.substring(at);
      }
      case 3 -> {
        int at = random.nextInt(base.length());
        return base.substring(0, at) + base.substring(at + 1);
      }
      case 4 -> {
        return base.substring(0, random.nextInt(base.length() + 1));
      }
      case 5 -> {
        return base + TEXT_SEEDS[random.nextInt(TEXT_SEEDS.length)];
      }
      case 6 -> {
        char[] chars = base.toCharArray();
        chars[random.nextInt(chars.length)] = (char) random.nextInt(0x3000);
        return new String(chars);
      }
      case 7 -> {
        return base.repeat(1 + random.nextInt(400));
      }
      default -> {
        return base;
      }
    }
  }
}
