package dev.mnode.bench;

import dev.mnode.crdt.membership.MembershipLog;
import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.node.sync.Replica;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.rocks.RocksStoreModule;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code bin/bench sync [N]}: a device writes N memories of about 1 KB into one class; a fresh
 * device that was just granted the class receives every bundle and applies them (verify, open,
 * log, merge into a new Automerge document, write the row): memories/s and the total, the bytes a
 * bundle adds per memory, and the fresh device's disk after a flush. Target: 100,000 memories in
 * under 60 s on 2 cores. Real RocksDB stores in a temporary directory, removed afterwards.
 */
final class SyncBench {
  private SyncBench() {}

  static void run(PrintStream out, int n) throws Exception {
    Path dir = Files.createTempDirectory("mnode-syncbench-");
    Clock clock = Clock.systemUTC();
    Bytes vault = Bytes.copyOf(new byte[16]);
    Random random = new Random(1);
    try (SecretBytes vaultSecret = SecretBytes.random(32);
        DeviceIdentity a = DeviceIdentity.generate();
        DeviceIdentity b = DeviceIdentity.generate();
        DeviceIdentity c = DeviceIdentity.generate();
        ClassKeyring cKeys = new ClassKeyring();
        PrekeyRing cPre = new PrekeyRing(c, clock, PrekeyRing.DEFAULT_ROTATION);
        MemoryStore cStore = RocksStoreModule.create(dir.resolve("c"), StorageKey.generate(), clock);
        ClassKeyring aKeys = new ClassKeyring();
        ClassKeyring bKeys = new ClassKeyring();
        PrekeyRing aPre = new PrekeyRing(a, clock, PrekeyRing.DEFAULT_ROTATION);
        PrekeyRing bPre = new PrekeyRing(b, clock, PrekeyRing.DEFAULT_ROTATION);
        MemoryStore aStore = RocksStoreModule.create(dir.resolve("a"), StorageKey.generate(), clock);
        MemoryStore bStore = RocksStoreModule.create(dir.resolve("b"), StorageKey.generate(), clock)) {
      ClassTag work = ClassTag.of(vaultSecret, "work");
      Operation genesis = Operation.genesis(a, vault, "a", List.of(work));
      MembershipLog aLog = MembershipModule.startFrom(genesis, 1024);
      MembershipLog bLog = MembershipModule.startFrom(genesis, 1024);
      MembershipLog cLog = MembershipModule.startFrom(genesis, 1024);
      try (Replica ra = new Replica(aStore, a, vault, vaultSecret, List.of("work"), aKeys, aLog, aPre, clock);
          Replica rb = new Replica(bStore, b, vault, vaultSecret, List.of("work"), bKeys, bLog, bPre, clock);
          Replica rc = new Replica(cStore, c, vault, vaultSecret, List.of("work"), cKeys, cLog, cPre, clock)) {
        ra.wrote(genesis);
        ra.addDevice(b.publicKey(), "b", List.of("work"));
        ra.learnPrekey(rb.prekey());
        for (byte[] op : ra.operationsFor(rb.heads())) {
          rb.receiveOperation(op);
        }
        for (byte[] env : ra.envelopesFor(b.publicKey())) {
          rb.receiveEnvelope(env);
        }
        StringBuilder text = new StringBuilder();
        long textBytes = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          text.setLength(0);
          while (text.length() < 1000) {
            text.append("word").append(random.nextInt(100_000)).append(' ');
          }
          textBytes += text.length();
          ra.create(Memory.builder(MemoryId.generate(clock), text.toString(), clock.instant()).memoryClass(new MemoryClass("work")).build());
          if ((i + 1) % 10_000 == 0) {
            System.err.printf(Locale.ROOT, "\rsync bench: wrote %,d / %,d", i + 1, n);
          }
        }
        double writeSecs = (System.nanoTime() - t0) / 1e9;
        List<byte[]> bundles = ra.missing(b.publicKey(), Map.of(work, dev.mnode.crdt.VersionVector.empty()));
        long bundleBytes = bundles.stream().mapToLong(x -> x.length).sum();
        long t1 = System.nanoTime();
        int applied = 0;
        for (int i = 0; i < bundles.size(); i += 10_000) {
          for (Replica.Outcome o : rb.receiveAll(bundles.subList(i, Math.min(bundles.size(), i + 10_000)))) {
            applied += o.applied();
          }
          System.err.printf(Locale.ROOT, "\rsync bench: applied %,d / %,d", Math.min(bundles.size(), i + 10_000), n);
        }
        double applySecs = (System.nanoTime() - t1) / 1e9;
        System.err.print("\r\033[K");
        bStore.flush();
        if (!ra.digest("work").equals(rb.digest("work")) || applied != n) {
          throw new IllegalStateException("the fresh device does not match: applied " + applied + " of " + n);
        }
        // A snapshot of the class, and a third fresh device bootstrapping from it alone.
        long t2 = System.nanoTime();
        List<byte[]> parts = ra.snapshot("work");
        double snapSecs = (System.nanoTime() - t2) / 1e9;
        long snapBytes = parts.stream().mapToLong(x -> x.length).sum();
        ra.addDevice(c.publicKey(), "c", List.of("work"));
        ra.learnPrekey(rc.prekey());
        for (byte[] op : ra.operationsFor(rc.heads())) {
          rc.receiveOperation(op);
        }
        for (byte[] env : ra.envelopesFor(c.publicKey())) {
          rc.receiveEnvelope(env);
        }
        List<byte[]> bootstrap = ra.missing(c.publicKey(), Map.of(work, dev.mnode.crdt.VersionVector.empty()));
        System.err.printf(Locale.ROOT, "\rsync bench: bootstrapping from %,d snapshot parts", bootstrap.size());
        long t3 = System.nanoTime();
        rc.receiveAll(bootstrap);
        double bootSecs = (System.nanoTime() - t3) / 1e9;
        System.err.print("\r\033[K");
        if (bootstrap.size() != parts.size() || !ra.digest("work").equals(rc.digest("work"))) {
          throw new IllegalStateException("the device bootstrapped from the snapshot does not match");
        }
        Table t =
            new Table(
                "Sync: a fresh device applies " + String.format(Locale.ROOT, "%,d", n)
                    + " memories of ~1 KB from sealed bundles (signatures checked on every core)",
                1, "step", "memories/s", "total s", "notes");
        t.row("write (Automerge change, seal, row)", String.format(Locale.ROOT, "%,.0f", n / writeSecs),
            String.format(Locale.ROOT, "%.1f", writeSecs), "on the writing device");
        t.row("apply on a fresh device", String.format(Locale.ROOT, "%,.0f", n / applySecs),
            String.format(Locale.ROOT, "%.1f", applySecs),
            "verify, open, log, merge, row; target < 60 s for 100k: " + (n >= 100_000 ? (applySecs < 60 ? "met" : "MISSED") : "run with 100000"));
        t.row("write a snapshot of the class", String.format(Locale.ROOT, "%,.0f", n / snapSecs),
            String.format(Locale.ROOT, "%.1f", snapSecs), String.format(Locale.ROOT, "%,d parts", parts.size()));
        t.row("bootstrap a fresh device from it", String.format(Locale.ROOT, "%,.0f", n / bootSecs),
            String.format(Locale.ROOT, "%.1f", bootSecs), "instead of applying every bundle");
        t.print(out);
        Table size = new Table("Sync: sizes", 1, "what", "bytes");
        size.row("text per memory (mean)", String.format(Locale.ROOT, "%,.0f", textBytes / (double) n));
        size.row("bundle per memory (mean)", String.format(Locale.ROOT, "%,.0f", bundleBytes / (double) n));
        size.row("bundle overhead per memory", String.format(Locale.ROOT, "%,.0f", (bundleBytes - textBytes) / (double) n));
        size.row("fresh device's store, per 100k memories", String.format(Locale.ROOT, "%,.0f", bStore.diskBytes() * (100_000.0 / n)));
        size.row("snapshot per memory", String.format(Locale.ROOT, "%,.0f", snapBytes / (double) n));
        size.print(out);
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
