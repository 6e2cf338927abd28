package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bounded fuzzing: random and mutated bytes at each stage of a connection. Every loop is bounded in
 * count and every socket read in time. A broken peer loses its connection, never the host.
 */
class MalformedInputTest {
  private static final int ROUNDS = 40;

  @Test
  @Timeout(120)
  void garbageAtEveryHandshakeStage_closesOnlyThatConnection() throws Exception {
    Random random = new Random(42);
    HostConfig config = HostConfig.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    try (Ed25519Identity id = Ed25519Identity.generate();
        Host host = P2pModule.newHost(id, config);
        Ed25519Identity clientId = Ed25519Identity.generate();
        Host client = P2pModule.newHost(clientId, HostConfig.defaults())) {
      Multiaddr addr = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
      byte[] noiseSelected = Multistream.encode(Multistream.HEADER, Upgrader.NOISE);
      for (int round = 0; round < ROUNDS; round++) {
        byte[] garbage = new byte[1 + random.nextInt(2000)];
        random.nextBytes(garbage);
        byte[] prefix =
            switch (round % 3) {
              case 0 -> new byte[0];                                   // garbage instead of multistream
              case 1 -> Multistream.encode(Multistream.HEADER);        // garbage as a proposal
              default -> noiseSelected;                                // garbage as Noise frames
            };
        if (round % 3 == 2 && round % 2 == 0) {
          garbage[0] = 0; // a plausible Noise length, so the bytes reach the handshake itself
          garbage[1] = 32;
        }
        assertClosedByHost(addr, prefix, garbage);
      }
      // The host still serves well-behaved peers.
      assertTrue(client.ping(addr).compareTo(Duration.ZERO) > 0);
    }
  }

  private static void assertClosedByHost(Multiaddr addr, byte[] prefix, byte[] garbage) throws Exception {
    try (Socket s = new Socket("127.0.0.1", addr.tcpPort().getAsInt())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      try {
        out.write(prefix);
        out.write(garbage);
        out.flush();
      } catch (SocketException e) {
        return; // closed while we were still writing
      }
      byte[] buf = new byte[4096];
      long deadline = System.nanoTime() + 10_000_000_000L;
      try {
        while (in.read(buf) >= 0) {
          assertTrue(System.nanoTime() < deadline, "the host kept a broken connection open");
        }
      } catch (SocketException e) {
        // connection reset by the host: closed as well
      }
    }
  }

  @Test
  @Timeout(60)
  void randomYamuxFrames_failOnlyWithP2pException() {
    Random random = new Random(7);
    for (int round = 0; round < 500; round++) {
      EmbeddedChannel ch = new EmbeddedChannel();
      YamuxSession session =
          new YamuxSession(ch, round % 2 == 0, Ed25519Identity.generate().peerId(), 4,
              Duration.ofSeconds(1), stream -> {});
      ch.pipeline().addLast(new YamuxFrameDecoder(YamuxSession.INITIAL_WINDOW), session);
      try {
        for (int frame = 0; frame < 20 && ch.isOpen(); frame++) {
          int type = random.nextInt(5); // 4 is invalid
          byte[] bytes = new byte[12 + (type == 0 ? random.nextInt(64) : 0)];
          random.nextBytes(bytes);
          bytes[0] = (byte) (random.nextInt(50) == 0 ? 1 : 0); // mostly valid, to reach the session
          bytes[1] = (byte) type;
          int length = bytes[1] == 0 ? bytes.length - 12 : random.nextInt();
          bytes[8] = (byte) (length >>> 24);
          bytes[9] = (byte) (length >>> 16);
          bytes[10] = (byte) (length >>> 8);
          bytes[11] = (byte) length;
          ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
      } catch (DecoderException e) {
        assertInstanceOf(P2pException.class, e.getCause(), e.toString());
      } catch (Exception e) {
        assertInstanceOf(P2pException.class, e, e.toString());
      }
      ch.finishAndReleaseAll();
    }
  }
}
