package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.FuzzBudget;
import dev.mnode.p2p.IdentifyInfo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the wire parsers above the multiformats (those are in {@code
 * MultiformatFuzzTest}, multiaddr text and bytes included): multistream-select on a connection and
 * on a stream, the Noise handshake messages and payload, Noise transport frames, yamux frame
 * sequences and the identify protobuf. Each gets random and mutated valid input from a fixed seed,
 * a fixed number of rounds and a hard time limit (both scaled by {@code -Pfuzz}). The only failure
 * allowed is {@link P2pException}; anything else, or a hang, fails the test; buffered state stays
 * within the parser's documented maximum.
 */
class ProtocolFuzzTest {
  private static final long SEED = 0x6d6e6f6465L;
  private static final Duration LIMIT = FuzzBudget.limit(Duration.ofSeconds(60));
  private static Ed25519Identity identity;
  private static PeerId peer;

  @BeforeAll
  static void makeIdentity() {
    identity = Ed25519Identity.generate();
    peer = identity.peerId();
  }

  @AfterAll
  static void wipeIdentity() {
    identity.close();
  }

  /** One fuzz input's check; may throw P2pException, nothing else. */
  private interface Round {
    void run(byte[] input) throws Exception;
  }

  private static int fuzz(String name, int baseRounds, List<byte[]> seeds, Round round) {
    return fuzz(name, baseRounds, seeds, true, round);
  }

  /**
   * Runs {@code round} on mutated seeds. {@code someParse}: whether some mutated inputs must be
   * accepted (false for authenticated messages, where every change must be rejected).
   */
  private static int fuzz(
      String name, int baseRounds, List<byte[]> seeds, boolean someParse, Round round) {
    Random random = new Random(SEED ^ name.hashCode());
    int rounds = FuzzBudget.rounds(baseRounds);
    int[] failed = {0};
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          for (int i = 0; i < rounds; i++) {
            byte[] input = FuzzBudget.mutate(random, seeds);
            try {
              round.run(input);
            } catch (P2pException e) {
              failed[0]++;
              assertOneLine(name, input, e);
            } catch (DecoderException e) {
              if (!(e.getCause() instanceof P2pException p)) {
                throw new AssertionError(name + " threw " + e + " for " + hex(input), e);
              }
              failed[0]++;
              assertOneLine(name, input, p);
            } catch (Exception | Error e) {
              throw new AssertionError(name + " threw " + e + " for " + hex(input), e);
            }
          }
        },
        name + " did not finish in " + LIMIT);
    if (someParse) {
      assertTrue(failed[0] < rounds, name + ": every input was rejected; the mutations are too wild");
    }
    return failed[0];
  }

  private static void assertOneLine(String name, byte[] input, P2pException e) {
    String m = e.getMessage();
    assertTrue(m != null && !m.isBlank() && !m.contains("\n"),
        name + ": bad message '" + m + "' for " + hex(input));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b, 0, Math.min(b.length, 200)) + (b.length > 200 ? "..." : "");
  }

  // ---- identify ----

  @Test
  void identifyProtobuf_randomAndMutated_onlyP2pException_andWhatParsesRoundTrips() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(Identify.encode(info(List.of(), Optional.empty(), List.of())));
    seeds.add(Identify.encode(info(
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/1")),
        Optional.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/5")),
        List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/mnode/echo/1.0.0"))));
    fuzz("identify", 4_000, seeds, input -> {
      IdentifyInfo parsed = Identify.decode(input, peer);
      assertEquals(parsed, Identify.decode(Identify.encode(parsed), peer));
    });
    // The same messages behind their varint length prefix, read from a stream in small pieces.
    List<byte[]> framed = seeds.stream().map(VarintPrefix::prefixed).toList();
    fuzz("identify framing", 4_000, framed, input -> {
      BytesStream s = new BytesStream(input, 7, peer);
      Identify.decode(VarintPrefix.readMessage(s, Identify.MAX_MESSAGE_BYTES, "identify message"), peer);
    });
  }

  private static IdentifyInfo info(List<Multiaddr> listen, Optional<Multiaddr> observed, List<String> protocols) {
    return new IdentifyInfo("ipfs/0.1.0", "mnode/0.1.0", identity.publicKey(), listen, observed, protocols);
  }

  // ---- multistream-select ----

  @Test
  void multistreamOnAConnection_randomAndMutated_onlyP2pException() {
    List<byte[]> seeds = List.of(
        Multistream.encode(Multistream.HEADER, "/noise"),
        Multistream.encode(Multistream.HEADER, Multistream.LS, "/tls/1.0.0", "/noise"),
        Multistream.encode(Multistream.HEADER, Multistream.NA),
        Multistream.encode(Multistream.HEADER, "/yamux/1.0.0"));
    int[] round = {0};
    fuzz("multistream handler", 4_000, seeds, input -> {
      boolean initiator = round[0]++ % 2 == 0;
      EmbeddedChannel ch = new EmbeddedChannel(new MultistreamHandler(initiator, "/noise"));
      try {
        feedInPieces(ch, input, new Random(input.length));
        int answers = 0;
        for (Object o; (o = ch.readOutbound()) != null; answers++) {
          ((ByteBuf) o).release();
        }
        assertTrue(answers <= MultistreamHandler.MAX_PROPOSALS + 2, "answers: " + answers);
      } finally {
        ch.finishAndReleaseAll();
      }
    });
  }

  @Test
  void multistreamOnAStream_randomAndMutated_onlyP2pException() {
    List<byte[]> seeds = List.of(
        Multistream.encode(Multistream.HEADER, "/mnode/echo/1.0.0"),
        Multistream.encode(Multistream.HEADER, Multistream.LS, "/x/1", "/ipfs/ping/1.0.0"),
        Multistream.encode(Multistream.HEADER, Multistream.NA),
        Multistream.encodeList(List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0")));
    int[] round = {0};
    fuzz("stream negotiation", 4_000, seeds, input -> {
      BytesStream s = new BytesStream(input, 1 + round[0] % 13, peer);
      switch (round[0]++ % 3) {
        case 0 -> StreamNegotiation.serve(s, p -> p.startsWith("/ipfs/"), () -> List.of("/ipfs/ping/1.0.0"));
        case 1 -> StreamNegotiation.select(s, "/mnode/echo/1.0.0");
        default -> StreamNegotiation.list(s);
      }
      assertTrue(s.written().length <= BytesStream.MAX_WRITTEN);
    });
  }

  // ---- Noise ----

  @Test
  void noiseHandshakeMessagesAndPayload_randomAndMutated_onlyP2pException() throws Exception {
    SecureRandom sr = new SecureRandom();
    X25519PrivateKeyParameters is = new X25519PrivateKeyParameters(sr);
    X25519PrivateKeyParameters ie = new X25519PrivateKeyParameters(sr);
    X25519PrivateKeyParameters rs = new X25519PrivateKeyParameters(sr);
    X25519PrivateKeyParameters re = new X25519PrivateKeyParameters(sr);
    NoiseXX i = new NoiseXX(true, is, ie, new byte[0]);
    NoiseXX r = new NoiseXX(false, rs, re, new byte[0]);
    byte[] m1 = i.writeMessage(new byte[0]);
    r.readMessage(m1);
    byte[] payloadR = NoisePayload.create(identity, r.localStaticPublicKey());
    byte[] m2 = r.writeMessage(payloadR);
    i.readMessage(m2);
    byte[] payloadI = NoisePayload.create(identity, i.localStaticPublicKey());
    byte[] m3 = i.writeMessage(payloadI);

    fuzz("noise message 1", 2_000, List.of(m1), input ->
        new NoiseXX(false, rs, re, new byte[0]).readMessage(input));
    fuzz("noise message 2", 500, List.of(m2), false, input -> {
      NoiseXX fresh = new NoiseXX(true, is, ie, new byte[0]);
      fresh.writeMessage(new byte[0]);
      fresh.readMessage(input);
    });
    fuzz("noise message 3", 500, List.of(m3), false, input -> {
      NoiseXX fresh = new NoiseXX(false, rs, re, new byte[0]);
      fresh.readMessage(m1);
      fresh.writeMessage(payloadR);
      fresh.readMessage(input);
    });
    byte[] staticI = i.localStaticPublicKey();
    fuzz("noise payload", 2_000, List.of(payloadI, payloadR), input ->
        NoisePayload.verify(input, staticI));
  }

  @Test
  void noiseHandshakeHandler_randomAndMutatedFrames_onlyP2pException() throws Exception {
    SecureRandom sr = new SecureRandom();
    List<byte[]> seeds = new ArrayList<>();
    NoiseXX probe = new NoiseXX(true, new X25519PrivateKeyParameters(sr), sr);
    seeds.add(frame(probe.writeMessage(new byte[0])));
    seeds.add(new byte[] {0, 32});
    fuzz("noise handshake handler", 300, seeds, false, input -> {
      // A real initiator reaches message 3, whose framed bytes are then mutated half the time.
      EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(false, identity, sr));
      try {
        if (input.length % 2 == 0) {
          feedInPieces(ch, input, new Random(input.length));
          return;
        }
        NoiseXX initiator = new NoiseXX(true, new X25519PrivateKeyParameters(sr), sr);
        ch.writeInbound(Unpooled.wrappedBuffer(frame(initiator.writeMessage(new byte[0]))));
        ByteBuf m2 = ch.readOutbound();
        byte[] framed2 = new byte[m2.readableBytes()];
        m2.readBytes(framed2);
        m2.release();
        initiator.readMessage(java.util.Arrays.copyOfRange(framed2, 2, framed2.length));
        byte[] m3 = frame(initiator.writeMessage(NoisePayload.create(identity, initiator.localStaticPublicKey())));
        byte[] bad = FuzzBudget.mutate(new Random(input.length * 31L + input[0]), List.of(m3));
        feedInPieces(ch, bad, new Random(bad.length));
      } finally {
        ch.finishAndReleaseAll();
      }
    });
  }

  @Test
  void noiseTransportFrames_randomAndMutated_onlyP2pException() {
    byte[] key = new byte[NoiseCipherState.KEY_BYTES];
    new Random(5).nextBytes(key);
    NoiseCipherState sender = new NoiseCipherState(key);
    List<byte[]> seeds = new ArrayList<>();
    for (int n : new int[] {0, 1, 100, 4000}) {
      seeds.add(frame(sender.encrypt(new byte[0], new byte[n])));
    }
    fuzz("noise transport", 2_000, seeds, false, input -> {
      // Each round decrypts from nonce 0, as a fresh connection would.
      EmbeddedChannel ch = new EmbeddedChannel(
          new NoiseTransportCodec(new NoiseCipherState(key), new NoiseCipherState(key)));
      try {
        feedInPieces(ch, input, new Random(input.length));
      } finally {
        ch.finishAndReleaseAll();
      }
    });
  }

  // ---- yamux ----

  @Test
  void yamuxFrameSequences_mutated_onlyP2pException_andBufferStaysWithinWindows() {
    int maxStreams = 4;
    List<byte[]> seeds = List.of(
        concat(
            header(1, YamuxFrame.FLAG_SYN, 2, 0),
            header(0, 0, 2, 5), new byte[] {1, 2, 3, 4, 5},
            header(0, YamuxFrame.FLAG_FIN, 2, 0),
            header(2, YamuxFrame.FLAG_SYN, 0, 7)),
        concat(
            header(1, YamuxFrame.FLAG_SYN, 4, 1000),
            header(1, YamuxFrame.FLAG_RST, 4, 0),
            header(3, 0, 0, 0)),
        concat(header(0, YamuxFrame.FLAG_SYN, 6, 3), new byte[] {9, 9, 9}, header(1, 0, 6, 1 << 20)));
    fuzz("yamux sequences", 4_000, seeds, input -> {
      EmbeddedChannel ch = new EmbeddedChannel();
      YamuxSession session = new YamuxSession(ch, true, peer, maxStreams, Duration.ofSeconds(1), s -> {});
      ch.pipeline().addLast(new YamuxFrameDecoder(YamuxSession.INITIAL_WINDOW), session);
      try {
        feedInPieces(ch, input, new Random(input.length));
        assertTrue(session.bufferedBytes() <= (long) maxStreams * YamuxSession.INITIAL_WINDOW);
        assertTrue(session.streamCount() <= maxStreams);
      } finally {
        ch.finishAndReleaseAll();
      }
    });
  }

  // ---- helpers ----

  /**
   * Writes {@code input} inbound in random pieces, stopping once the channel closes. As in a real
   * pipeline, the first exception closes the channel; it is rethrown here if it is a {@link
   * P2pException}, and fails the test if it is anything else.
   */
  private static void feedInPieces(EmbeddedChannel ch, byte[] input, Random random) throws P2pException {
    Closer closer = ch.pipeline().get(Closer.class);
    if (closer == null) {
      closer = new Closer();
      ch.pipeline().addLast(closer);
    }
    int at = 0;
    while (at < input.length && ch.isOpen()) {
      int n = 1 + random.nextInt(Math.min(input.length - at, 64));
      ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
      at += n;
    }
    ch.checkException();
    Throwable cause = closer.cause;
    if (cause instanceof DecoderException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof P2pException p) {
      throw p;
    }
    if (cause != null) {
      throw new AssertionError("the pipeline failed with " + cause, cause);
    }
  }

  /** Closes the channel on the first exception and keeps it, as the Upgrader does. */
  private static final class Closer extends io.netty.channel.ChannelInboundHandlerAdapter {
    @org.jspecify.annotations.Nullable Throwable cause;

    @Override
    public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable t) {
      if (cause == null) {
        cause = t;
      }
      ctx.close();
    }
  }

  private static byte[] frame(byte[] message) {
    byte[] out = new byte[2 + message.length];
    out[0] = (byte) (message.length >>> 8);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, 2, message.length);
    return out;
  }

  private static byte[] header(int type, int flags, int stream, int length) {
    byte[] h = new byte[YamuxFrame.HEADER_BYTES];
    h[1] = (byte) type;
    h[2] = (byte) (flags >>> 8);
    h[3] = (byte) flags;
    for (int i = 0; i < 4; i++) {
      h[4 + i] = (byte) (stream >>> (24 - 8 * i));
      h[8 + i] = (byte) (length >>> (24 - 8 * i));
    }
    return h;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
