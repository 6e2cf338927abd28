package dev.mnode.bench;

import dev.mnode.cloud.BlobStore;
import dev.mnode.cloud.BlobStoreException;
import dev.mnode.cloud.BlobStoreOptions;
import dev.mnode.cloud.BlobStores;
import dev.mnode.cloud.Page;
import dev.mnode.cloud.Secret;
import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.relay.RelayReport;
import dev.mnode.node.relay.RelaySync;
import dev.mnode.node.sync.Replica;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code bin/bench relay [N]}: N memories of about 300 bytes in class work go up from device A and
 * down to device B through a real S3 server (S3Proxy over a temporary folder) on 127.0.0.1. The
 * class keys cross the relay first (A, B, A, B on an empty vault), then A imports N memories, one
 * round uploads them, one round on B applies them; B must end with A's digest. Prints seconds,
 * requests by kind (counted in a wrapper around the store) and bytes stored per memory, and the
 * cost of a round when nothing changed.
 */
final class RelayBench {
  private static final String ACCESS = "bench-access";
  private static final String SECRET = "bench-secret-key";
  private static final String BUCKET = "relay-bench";

  private RelayBench() {}

  /** Counts the requests a round makes. */
  static final class Counting implements BlobStore {
    final BlobStore real;
    final AtomicLong puts = new AtomicLong();
    final AtomicLong gets = new AtomicLong();
    final AtomicLong lists = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong bytesPut = new AtomicLong();

    Counting(BlobStore real) {
      this.real = real;
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws BlobStoreException {
      puts.incrementAndGet();
      bytesPut.addAndGet(data.length);
      return real.putIfAbsent(name, data);
    }

    @Override
    public Optional<byte[]> get(String name) throws BlobStoreException {
      gets.incrementAndGet();
      return real.get(name);
    }

    @Override
    public Page list(String prefix, @Nullable String pageToken, int max) throws BlobStoreException {
      lists.incrementAndGet();
      return real.list(prefix, pageToken, max);
    }

    @Override
    public void delete(String name) throws BlobStoreException {
      deletes.incrementAndGet();
      real.delete(name);
    }

    @Override
    public void close() {
      real.close();
    }

    String requests() {
      return String.format(Locale.ROOT, "%d put, %d get, %d list", puts.get(), gets.get(), lists.get())
          + (deletes.get() == 0 ? "" : ", " + deletes.get() + " delete");
    }

    void reset() {
      puts.set(0);
      gets.set(0);
      lists.set(0);
      deletes.set(0);
    }
  }

  static void run(PrintStream out, int n) throws Exception {
    Path dir = Files.createTempDirectory("mnode-relaybench-");
    Clock clock = Clock.systemUTC();
    Argon2Params fast = new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1);
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir.resolve("s3")).toString());
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(org.gaul.s3proxy.BlobStores.create("filesystem", props))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
        .build();
    proxy.start();
    try {
      for (int i = 0; i < 250 && !"STARTED".equals(proxy.getState()); i++) {
        Thread.sleep(20);
      }
      URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
      try (S3Client admin = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint)
          .forcePathStyle(true).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build()) {
        admin.createBucket(b -> b.bucket(BUCKET));
      }
      BlobStoreOptions o = BlobStoreOptions.defaults().withEnvironment(java.util.Map.of())
          .withS3Endpoint(endpoint, true).withS3Credentials(ACCESS, Secret.of(SECRET), null);
      try (Counting store = new Counting(BlobStores.open(URI.create("s3://" + BUCKET + "/mnode"), o))) {
        measure(out, n, dir, clock, fast, store);
      }
    } finally {
      proxy.stop();
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void measure(PrintStream out, int n, Path dir, Clock clock, Argon2Params fast, Counting store) throws Exception {
    Home ha = new Home(dir.resolve("a"));
    Home hb = new Home(dir.resolve("b"));
    try (LocalMemoryService a = (LocalMemoryService) NodeModule.init(ha, null, fast, clock)) {
      Replica ra = a.replica();
      try (DeviceIdentity bId = DeviceIdentity.generate(); SecretBytes vs = a.vaultSecretForPairing()) {
        ra.addDevice(bId.publicKey(), "b", List.of("work"));
        NodeModule.join(hb, null, fast, clock, w -> {}, bId.seed(), ra.vault().toByteArray(), vs, ra.operationsFor(List.of())).close();
      }
    }
    for (Home h : List.of(ha, hb, ha, hb)) {
      round(h, clock, store); // the class keys cross the relay
    }
    long sealed;
    try (LocalMemoryService a = (LocalMemoryService) NodeModule.open(ha, dev.mnode.node.PassphraseSource.NONE, clock)) {
      out.printf(Locale.ROOT, "bench relay: importing %,d memories into device A%n", n);
      byte[] lines = WorkCorpus.jsonLines(n);
      a.importJsonLines(new ByteArrayInputStream(lines), lines.length, ProgressListener.NONE, true);
      long t0 = System.nanoTime();
      a.replica();
      sealed = System.nanoTime() - t0;
    }
    Timed up = timed(ha, clock, store);
    Timed down = timed(hb, clock, store);
    Timed idle = timed(hb, clock, store);

    String want;
    String got;
    long have;
    try (LocalMemoryService a = (LocalMemoryService) NodeModule.open(ha, dev.mnode.node.PassphraseSource.NONE, clock);
        LocalMemoryService b = (LocalMemoryService) NodeModule.open(hb, dev.mnode.node.PassphraseSource.NONE, clock)) {
      want = a.status().digests().get("work");
      got = b.status().digests().get("work");
      have = b.status().classes().getOrDefault("work", 0L);
    }
    if (!want.equals(got) || have != n) {
      throw new IllegalStateException("device B holds " + have + " of " + n + " memories, digest " + got + " instead of " + want);
    }
    long[] before = stored(store);
    long stored = before[0];
    long blobs = before[1];

    // Forgetting is final: one memory forgotten on A, compaction, then a round on each device.
    long c0;
    double compactSeconds;
    try (LocalMemoryService a = (LocalMemoryService) NodeModule.open(ha, dev.mnode.node.PassphraseSource.NONE, clock)) {
      var first = a.list(new dev.mnode.node.ListQuery(List.of("work"), null, null, null, null, 1)).get(0);
      a.forget(first.id().toString());
      c0 = System.nanoTime();
      var sealedClasses = a.finalizeForgetting(ProgressListener.NONE, false);
      compactSeconds = (System.nanoTime() - c0) / 1e9;
      if (sealedClasses.size() != 1) {
        throw new IllegalStateException("compaction re-sealed " + sealedClasses);
      }
    }
    Timed rebaseA = timed(ha, clock, store);
    Timed rebaseB = timed(hb, clock, store);
    Timed idleAfter = timed(hb, clock, store);
    long[] after = stored(store);
    try (LocalMemoryService a = (LocalMemoryService) NodeModule.open(ha, dev.mnode.node.PassphraseSource.NONE, clock);
        LocalMemoryService b = (LocalMemoryService) NodeModule.open(hb, dev.mnode.node.PassphraseSource.NONE, clock)) {
      if (!a.status().digests().get("work").equals(b.status().digests().get("work"))) {
        throw new IllegalStateException("devices differ after the compaction");
      }
    }

    Table t = new Table(
        "Relay sync of " + String.format(Locale.ROOT, "%,d", n) + " memories (~300 bytes, class work) through S3Proxy on 127.0.0.1",
        2, "step", "requests", "seconds", "memories/s");
    t.row("A seals the imported memories as bundles", "", String.format(Locale.ROOT, "%.1f", sealed / 1e9), "");
    t.row("A uploads (" + up.report().uploaded() + " segments, " + up.report().bundlesOut() + " bundles)", up.requests(),
        String.format(Locale.ROOT, "%.1f", up.seconds()), String.format(Locale.ROOT, "%,.0f", n / up.seconds()));
    t.row("B lists, downloads, applies (" + down.report().downloaded() + " segments)", down.requests(),
        String.format(Locale.ROOT, "%.1f", down.seconds()), String.format(Locale.ROOT, "%,.0f", n / down.seconds()));
    t.row("B again, nothing new (" + blobs + " names listed)", idle.requests(), String.format(Locale.ROOT, "%.2f", idle.seconds()), "");
    t.row("A forgets 1 memory and compacts (new epoch, snapshot, drop, erase, re-key)", "", String.format(Locale.ROOT, "%.1f", compactSeconds), "");
    t.row("A uploads afresh, deletes " + rebaseA.report().deleted() + " old segments", rebaseA.requests(),
        String.format(Locale.ROOT, "%.1f", rebaseA.seconds()), "");
    t.row("B applies the snapshot, drops, uploads afresh, deletes " + rebaseB.report().deleted(), rebaseB.requests(),
        String.format(Locale.ROOT, "%.1f", rebaseB.seconds()), "");
    t.row("B again, nothing new (" + idleAfter.report().listed() + " names listed)", idleAfter.requests(),
        String.format(Locale.ROOT, "%.2f", idleAfter.seconds()), "");
    t.print(out);
    out.printf(Locale.ROOT, "stored at the relay: %,d blobs, %.1f MB, %.0f bytes per memory%n", blobs, stored / 1e6, (double) stored / n);
    out.printf(Locale.ROOT, "after the compaction: %,d blobs, %.1f MB, %.0f bytes per memory%n", after[1], after[0] / 1e6, (double) after[0] / n);
  }

  /** Bytes and blobs the relay holds. */
  private static long[] stored(Counting store) throws Exception {
    long bytes = 0;
    long blobs = 0;
    String token = null;
    do {
      Page p = store.real.list("", token, BlobStore.MAX_PAGE_SIZE);
      for (var b : p.blobs()) {
        bytes += b.size();
        blobs++;
      }
      token = p.nextToken();
    } while (token != null);
    return new long[] {bytes, blobs};
  }

  /** One round's report, time and requests. */
  private record Timed(RelayReport report, double seconds, String requests) {}

  private static Timed timed(Home h, Clock clock, Counting store) throws Exception {
    store.reset();
    long t0 = System.nanoTime();
    RelayReport r = round(h, clock, store);
    return new Timed(r, (System.nanoTime() - t0) / 1e9, store.requests());
  }

  private static RelayReport round(Home h, Clock clock, BlobStore store) throws Exception {
    try (LocalMemoryService s = (LocalMemoryService) NodeModule.open(h, dev.mnode.node.PassphraseSource.NONE, clock)) {
      return RelaySync.round(s, store, "bench", h.dir().resolve("relay-state/bench.state"), ProgressListener.NONE, w -> {});
    }
  }

}
