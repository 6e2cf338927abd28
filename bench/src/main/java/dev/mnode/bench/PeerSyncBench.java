package dev.mnode.bench;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.NodeModule;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.peer.PeerNode;
import dev.mnode.node.peer.PeerOptions;
import dev.mnode.node.peer.PeerStatus;
import dev.mnode.node.sync.Replica;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.store.Memory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code bin/bench p2p [N]}: two nodes of one vault in this process, each with its own home, a real
 * RocksDB store and a real libp2p host on 127.0.0.1. Node A holds N memories of about 300 bytes in
 * class work (imported, then made into sealed bundles); node B has just joined. Measures the
 * initial sync (B connects to A until B holds every memory with an equal digest: seconds and
 * memories/s; target under 90 s for 100,000 on 2 cores), the bytes on the wire per memory, and the
 * propagation latency of single remembers on A to B while connected (p50, p99; target p99 under
 * 1 s). The homes are removed afterwards.
 */
final class PeerSyncBench {
  private PeerSyncBench() {}

  static final int LATENCY_SAMPLES = 200;

  static void run(PrintStream out, int n) throws Exception {
    Path dir = Files.createTempDirectory("mnode-p2pbench-");
    Clock clock = Clock.systemUTC();
    Argon2Params fast = new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1);
    try {
      LocalMemoryService a = (LocalMemoryService) NodeModule.init(new Home(dir.resolve("a")), null, fast, clock);
      try {
        out.printf(Locale.ROOT, "bench p2p: importing %,d memories into node A%n", n);
        byte[] lines = WorkCorpus.jsonLines(n);
        a.importJsonLines(new ByteArrayInputStream(lines), lines.length, ProgressListener.NONE, true);
        long t0 = System.nanoTime();
        Replica ra = a.replica();
        double ingest = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "bench p2p: node A sealed them as bundles in %.1f s%n", ingest);

        LocalMemoryService b;
        try (DeviceIdentity bId = DeviceIdentity.generate(); SecretBytes vs = a.vaultSecretForPairing()) {
          ra.addDevice(bId.publicKey(), "b", List.of("work"));
          b = (LocalMemoryService) NodeModule.join(
              new Home(dir.resolve("b")), null, fast, clock, w -> {}, bId.seed(), ra.vault().toByteArray(), vs,
              ra.operationsFor(List.of()));
        }
        try (PeerNode pa = PeerNode.start(a, new Home(dir.resolve("a")), options(List.of()), clock, w -> {})) {
          List<Multiaddr> aAddr = pa.sync().listenAddresses();
          long s0 = System.nanoTime();
          try (PeerNode pb = PeerNode.start(b, new Home(dir.resolve("b")), options(aAddr), clock, w -> {})) {
            String want = a.status().digests().get("work");
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            long lastPrint = 0;
            while (true) {
              long have = b.status().classes().getOrDefault("work", 0L);
              if (have == n && want.equals(b.status().digests().get("work"))) {
                break;
              }
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node B did not catch up in 30 minutes: " + have + " of " + n);
              }
              if (System.nanoTime() - lastPrint > 5e9) {
                out.printf(Locale.ROOT, "bench p2p: node B holds %,d / %,d%n", have, n);
                lastPrint = System.nanoTime();
              }
              Thread.sleep(50);
            }
            double initial = (System.nanoTime() - s0) / 1e9;
            PeerStatus toB = pa.sync().status().get(0);
            long wire = toB.bytesSent() + toB.bytesReceived();

            double[] lat = new double[LATENCY_SAMPLES];
            Random r = new Random(7);
            for (int i = 0; i < LATENCY_SAMPLES; i++) {
              long l0 = System.nanoTime();
              Memory m = a.remember(new MemoryDraft("latency probe " + i + " " + r.nextLong(), "work", List.of(), null, null, false, Map.of(), List.of()), true).memory();
              String id = m.id().toString();
              long end = l0 + Duration.ofSeconds(30).toNanos();
              while (!present(b, id)) {
                if (System.nanoTime() > end) {
                  throw new IllegalStateException("a remember did not reach node B in 30 s");
                }
                Thread.sleep(0, 200_000);
              }
              lat[i] = (System.nanoTime() - l0) / 1e6;
            }
            Arrays.sort(lat);
            Table t = new Table("peer-to-peer sync over libp2p on 127.0.0.1 (2 nodes, one process)", 1, "measure", "value", "target");
            t.row("initial sync, memories", String.format(Locale.ROOT, "%,d", n), "");
            t.row("initial sync, seconds", String.format(Locale.ROOT, "%.1f", initial), n >= 100_000 ? "< 90" : "");
            t.row("initial sync, memories/s", String.format(Locale.ROOT, "%,.0f", n / initial), "");
            t.row("bytes on the wire per memory", String.format(Locale.ROOT, "%,.0f", (double) wire / n), "");
            t.row("A sealing its bundles, s", String.format(Locale.ROOT, "%.1f", ingest), "");
            t.row("remember to peer, p50 ms", String.format(Locale.ROOT, "%.1f", lat[lat.length / 2]), "");
            t.row("remember to peer, p99 ms", String.format(Locale.ROOT, "%.1f", lat[(int) Math.ceil(lat.length * 0.99) - 1]), "< 1000");
            t.print(out);
          } finally {
            b.close();
          }
        }
      } finally {
        a.close();
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static boolean present(LocalMemoryService svc, String id) {
    try {
      svc.get(id);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static PeerOptions options(List<Multiaddr> peers) throws Exception {
    return new PeerOptions(
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), peers, null, Duration.ofSeconds(30), Duration.ofMillis(5),
        Duration.ofSeconds(5));
  }

}
