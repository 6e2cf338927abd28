package dev.mnode.p2p.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pStream;
import io.netty.util.ResourceLeakDetector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The libp2p benchmarks, run only on request (tag {@code bench}):
 *
 * <pre>
 *   mvn -B -q -pl p2p -am verify -Dp2p.excludedGroups= -Dgroups=bench -Dtest=P2pBenchmarkTest \
 *       -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Prints one table on stdout: single-stream throughput through Noise and yamux next to raw loopback
 * TCP carrying the same bytes in the same run (and their ratio), and next to raw TCP whose bytes
 * are sealed and opened with the Noise cipher alone (ChaCha20-Poly1305 from Bouncy Castle, in
 * Noise's 65,535-byte messages): the ceiling any libp2p stack on this cipher can reach; the latency
 * of a full connection handshake (TCP, multistream-select, Noise XX, multistream-select, yamux) as
 * p50 and p99; and 1,000 concurrent echo streams on one connection. Sizes scale with {@code
 * -Dp2p.bench.mib=N} (default 256 MiB per throughput round). Every phase is bounded in count and
 * the test in time. Netty's leak detector (paranoid in the test build) is off while it measures.
 */
@Tag("bench")
@Timeout(600)
class P2pBenchmarkTest {
  private static final String SINK = "/mnode/bench-sink/1.0.0";
  private static final int CHUNK = 1 << 20;
  private static final int ROUNDS = 3;
  private static final int HANDSHAKES = 300;
  private static final int HANDSHAKE_WARMUP = 50;
  private static final int STREAMS = 1000;
  private static final int STREAM_BYTES = 4096;

  private static ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();

  @BeforeAll
  static void leakDetectionOff() {
    leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
  }

  @AfterAll
  static void leakDetectionBack() {
    ResourceLeakDetector.setLevel(leakLevel);
  }

  @Test
  void throughputHandshakeAndConcurrentStreams_printTable() throws Exception {
    long bytes = Long.getLong("p2p.bench.mib", 256) * CHUNK;
    byte[] chunk = new byte[CHUNK];
    new Random(1).nextBytes(chunk);
    HostConfig config =
        HostConfig.defaults().withLimits(64, STREAMS + 24)
            .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60));
    List<String> rows = new ArrayList<>();
    try (Ed25519Identity serverId = Ed25519Identity.generate();
        Host server = P2pModule.newHost(serverId, config);
        Ed25519Identity clientId = Ed25519Identity.generate();
        Host client = P2pModule.newHost(clientId, config)) {
      server.handle(SINK, P2pBenchmarkTest::sink);
      server.handle(Echo.PROTOCOL, Echo.handler());
      Multiaddr addr = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));

      // 1. Throughput: raw TCP and libp2p alternate, so both see the same machine load.
      rawTcp(chunk, 32L * CHUNK, false); // warm-up
      rawTcp(chunk, 32L * CHUNK, true);
      p2p(client.dial(addr), chunk, 32L * CHUNK);
      double[] raw = new double[ROUNDS];
      double[] sealed = new double[ROUNDS];
      double[] lp = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        raw[i] = rawTcp(chunk, bytes, false);
        sealed[i] = rawTcp(chunk, bytes, true);
        lp[i] = p2p(client.dial(addr), chunk, bytes);
      }
      double rawMiB = median(raw);
      double sealedMiB = median(sealed);
      double p2pMiB = median(lp);
      String of = " (" + bytes / CHUNK + " MiB, median of " + ROUNDS + ")";
      rows.add(row("raw TCP, one socket" + of, fmt(rawMiB) + " MiB/s"));
      rows.add(row("raw TCP + ChaCha20-Poly1305 per 64 KiB, the Noise cipher alone" + of, fmt(sealedMiB) + " MiB/s"));
      rows.add(row("Noise + yamux, one stream" + of, fmt(p2pMiB) + " MiB/s"));
      rows.add(row("ratio libp2p / raw TCP (target >= 50%)", fmt(100 * p2pMiB / rawMiB) + " %"));
      rows.add(row("ratio libp2p / cipher-only TCP", fmt(100 * p2pMiB / sealedMiB) + " %"));

      // 2. Handshake latency: a fresh connection each time, closed before the next.
      long[] nanos = new long[HANDSHAKES];
      for (int i = -HANDSHAKE_WARMUP; i < HANDSHAKES; i++) {
        for (Connection c : client.connections()) {
          c.close();
        }
        awaitNoConnections(client);
        long start = System.nanoTime();
        client.dial(addr);
        long took = System.nanoTime() - start;
        if (i >= 0) {
          nanos[i] = took;
        }
      }
      Arrays.sort(nanos);
      rows.add(row("handshake p50 (" + HANDSHAKES + " dials)", fmtMs(nanos[HANDSHAKES / 2])));
      rows.add(row("handshake p99", fmtMs(nanos[HANDSHAKES * 99 / 100])));

      // 3. 1,000 concurrent streams on one connection: 32 threads open them and write 4 KiB on
      // each; only when all 1,000 are open does any stream close its side and read its echo.
      Connection c = client.dial(addr);
      List<byte[]> sent = new ArrayList<>();
      Random random = new Random(2);
      for (int i = 0; i < STREAMS; i++) {
        byte[] b = new byte[STREAM_BYTES];
        random.nextBytes(b);
        sent.add(b);
      }
      P2pStream[] open = new P2pStream[STREAMS];
      ExecutorService pool = Executors.newFixedThreadPool(32);
      try {
        long start = System.nanoTime();
        List<Future<?>> opening = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
          int n = i;
          opening.add(pool.submit(() -> {
            open[n] = c.openStream(Echo.PROTOCOL);
            open[n].write(sent.get(n));
            return null;
          }));
        }
        for (Future<?> f : opening) {
          f.get(120, TimeUnit.SECONDS);
        }
        long opened = System.nanoTime() - start;
        assertEquals(1, client.connections().size(), "every stream on one connection");
        List<Future<?>> reading = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
          int n = i;
          reading.add(pool.submit(() -> {
            try (P2pStream s = open[n]) {
              s.closeWrite();
              assertArrayEquals(sent.get(n), s.readAll(STREAM_BYTES), "stream " + n);
            }
            return null;
          }));
        }
        for (Future<?> f : reading) {
          f.get(120, TimeUnit.SECONDS);
        }
        long all = System.nanoTime() - start;
        rows.add(row(STREAMS + " streams on one connection: all open, 4 KiB written on each", fmtMs(opened)));
        rows.add(row(STREAMS + " streams: all echoed back and checked byte for byte", fmtMs(all)));
      } finally {
        pool.shutdownNow();
      }
    }
    System.out.println();
    System.out.println("| libp2p benchmark | result |");
    System.out.println("| --- | --- |");
    rows.forEach(System.out::println);
  }

  /** Reads a stream to its end and answers with the byte count. */
  private static void sink(P2pStream stream) throws P2pException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int r;
    while ((r = stream.read(buf, 0, buf.length)) >= 0) {
      total += r;
    }
    stream.write(ByteBuffer.allocate(8).putLong(total).array());
    stream.closeWrite();
  }

  /** Sends {@code bytes} over one stream and returns MiB/s, counted until the sink's answer. */
  private static double p2p(Connection c, byte[] chunk, long bytes) throws Exception {
    try (P2pStream s = c.openStream(SINK)) {
      long start = System.nanoTime();
      for (long sent = 0; sent < bytes; sent += chunk.length) {
        s.write(chunk);
      }
      s.closeWrite();
      long count = ByteBuffer.wrap(s.readExactly(8)).getLong();
      long took = System.nanoTime() - start;
      assertEquals(bytes, count);
      return mibPerSecond(bytes, took);
    }
  }

  /**
   * The same bytes over a plain loopback socket, read and counted by a second thread; with {@code
   * seal}, cut into Noise-sized messages, each sealed by the sender and opened by the reader with
   * {@link NoiseCipherState}, the cipher the Noise transport uses, and a 2-byte length.
   */
  private static double rawTcp(byte[] chunk, long bytes, boolean seal) throws Exception {
    byte[] key = new byte[NoiseCipherState.KEY_BYTES];
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(() -> {
            try (Socket s = listener.accept()) {
              InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 128 * 1024);
              long total = 0;
              if (seal) {
                NoiseCipherState open = new NoiseCipherState(key);
                DataInputStream data = new DataInputStream(in);
                byte[] lengthBytes = new byte[2];
                while (data.read(lengthBytes, 0, 1) == 1) {
                  data.readFully(lengthBytes, 1, 1);
                  byte[] sealedBytes = new byte[((lengthBytes[0] & 0xff) << 8) | (lengthBytes[1] & 0xff)];
                  data.readFully(sealedBytes);
                  total += open.decrypt(new byte[0], sealedBytes).length;
                }
              } else {
                byte[] buf = new byte[64 * 1024];
                int r;
                while ((r = in.read(buf)) >= 0) {
                  total += r;
                }
              }
              new DataOutputStream(s.getOutputStream()).writeLong(total);
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          });
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        long start = System.nanoTime();
        OutputStream out = s.getOutputStream();
        NoiseCipherState sealer = new NoiseCipherState(key);
        byte[] frame = new byte[2 + NoiseTransportCodec.MAX_CIPHERTEXT_BYTES];
        for (long sent = 0; sent < bytes; sent += chunk.length) {
          if (!seal) {
            out.write(chunk);
            continue;
          }
          for (int at = 0; at < chunk.length; at += NoiseTransportCodec.MAX_PLAINTEXT_BYTES) {
            int n = Math.min(NoiseTransportCodec.MAX_PLAINTEXT_BYTES, chunk.length - at);
            byte[] sealedBytes = sealer.encrypt(new byte[0], chunk, at, n);
            frame[0] = (byte) (sealedBytes.length >>> 8);
            frame[1] = (byte) sealedBytes.length;
            System.arraycopy(sealedBytes, 0, frame, 2, sealedBytes.length);
            out.write(frame, 0, 2 + sealedBytes.length);
          }
        }
        s.shutdownOutput();
        long count = new DataInputStream(s.getInputStream()).readLong();
        long took = System.nanoTime() - start;
        assertEquals(bytes, count);
        reader.get(60, TimeUnit.SECONDS);
        return mibPerSecond(bytes, took);
      }
    }
  }

  private static void awaitNoConnections(Host h) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!h.connections().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "connections did not close");
      Thread.sleep(1);
    }
  }

  private static double mibPerSecond(long bytes, long nanos) {
    return bytes / (double) CHUNK / (nanos / 1e9);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static String row(String what, String value) {
    return "| " + what + " | " + value + " |";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String fmtMs(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
