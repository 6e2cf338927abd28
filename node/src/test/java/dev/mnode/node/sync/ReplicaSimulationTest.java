package dev.mnode.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mnode.crdt.MemoryEdit;
import dev.mnode.crdt.membership.MembershipLog;
import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crdt.VersionVector;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.SealedBundle;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.rocks.RocksStoreModule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * N devices of one vault in this JVM, each with its own real RocksDB store, its own membership
 * log, prekeys and keyring, doing random remember, update and forget on the classes it holds and
 * random grants, ungrants, revocations, snapshots and restarts from the store (each a new epoch whose key goes only to the remaining
 * holders, by key envelope; a revoked device's bundles count up to its revocation's cut), while operations, envelopes and bundles move between random pairs,
 * bundles in random order with duplicates, drops and late redelivery. At the end every device has
 * the same membership, the same digest for every class it holds, no row and no key of a class it
 * does not hold, no change left unsealed, and refused no honest bundle for good.
 *
 * <p>{@code -Dmnode.sim.seed=S} sets the base seed, {@code -Dmnode.sim.runs=N} the number of runs
 * (run i uses seed S + i). A failure prints the seed and the command that replays it.
 */
class ReplicaSimulationTest {
  static final List<String> CLASSES = List.of("work", "personal", "health");
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path tmp;

  /** One simulated device. */
  static final class Device {
    final DeviceIdentity identity;
    final String name;
    MemoryStore store;
    Replica replica;
    MembershipLog log;
    PrekeyRing prekeys;
    final ClassKeyring keys = new ClassKeyring();
    final List<byte[]> late = new ArrayList<>();
    final StorageKey master = StorageKey.generate();
    Path dir;

    Device(String name, Random r) {
      this.name = name;
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      try (SecretBytes s = SecretBytes.copyOf(seed)) {
        this.identity = DeviceIdentity.fromSeed(s);
      }
    }
  }

  /** A clock that moves one millisecond on every reading, so times differ and stay reproducible. */
  static final class Ticking extends Clock {
    private long ms;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      return T0.plusMillis(ms++);
    }
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void devicesConverge_inEveryRun() throws Exception {
    long base = Long.getLong("mnode.sim.seed", 20261126L);
    int runs = Integer.getInteger("mnode.sim.runs", 200);
    BOOTSTRAPS.set(0);
    COMPACTIONS.set(0);
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        run(seed, tmp.resolve("run-" + i));
      } catch (AssertionError | Exception e) {
        throw new AssertionError(
            "simulation failed with seed " + seed + "; replay: mvn -B -pl node -am verify -Dtest=ReplicaSimulationTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dmnode.sim.seed=" + seed + " -Dmnode.sim.runs=1: " + e,
            e);
      }
    }
    if (runs >= 50) {
      assertTrue(BOOTSTRAPS.get() > 0, "no device bootstrapped from a snapshot in " + runs + " runs");
      assertTrue(COMPACTIONS.get() > 0, "no device compacted a class in " + runs + " runs");
    }
    System.out.printf("simulation: %d runs, %d snapshot bootstraps, %d compactions, %d restarts%n", runs, BOOTSTRAPS.get(),
        COMPACTIONS.get(), RESTARTS.get());
  }

  /** Snapshots applied in place of the bundles they cover, over all runs. */
  static final java.util.concurrent.atomic.AtomicLong BOOTSTRAPS = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Rejections that honest devices meet while membership and keys are still on their way (the
   * bundle is offered again later), or for bundles of a revoked device beyond its cut. That none
   * is for good is checked by equal version vectors and digests at the end.
   */
  static final java.util.Set<Replica.Rejection> TRANSIENT =
      java.util.EnumSet.of(
          Replica.Rejection.CLASS_NOT_HELD, Replica.Rejection.AUTHOR_NOT_ALLOWED, Replica.Rejection.NO_KEY, Replica.Rejection.DOES_NOT_OPEN);

  static void run(long seed, Path dir) throws Exception {
    Random r = new Random(seed);
    Clock clock = new Ticking();
    Bytes vault = Bytes.copyOf(new byte[16]);
    int n = 2 + r.nextInt(3);
    List<Device> devices = new ArrayList<>();
    byte[] secret = new byte[32];
    r.nextBytes(secret);
    try (SecretBytes vaultSecret = SecretBytes.copyOf(secret)) {
      for (int d = 0; d < n; d++) {
        devices.add(new Device("device-" + d, r));
      }
      Device first = devices.get(0);
      Operation genesis =
          Operation.genesis(first.identity, vault, first.name, CLASSES.stream().map(c -> ClassTag.of(vaultSecret, c)).toList());
      for (int d = 0; d < n; d++) {
        Device dev = devices.get(d);
        dev.log = MembershipModule.startFrom(genesis, 4096);
        dev.prekeys = new PrekeyRing(dev.identity, clock, PrekeyRing.DEFAULT_ROTATION);
        dev.dir = dir.resolve("d" + d);
        dev.store = RocksStoreModule.create(dev.dir, StorageKey.of(dev.master.material()), clock);
        dev.replica = new Replica(dev.store, dev.identity, vault, vaultSecret, CLASSES, dev.keys, dev.log, dev.prekeys, clock);
      }
      first.replica.wrote(genesis);
      // Device 0 adds each other device with a random non-empty subset of the classes; in some
      // runs the last one joins half-way, so its first sync may start from a snapshot.
      boolean lateJoiner = n >= 3 && r.nextBoolean();
      List<String> lateClasses = new ArrayList<>();
      for (int d = 1; d < n; d++) {
        List<String> subset = new ArrayList<>();
        for (String c : CLASSES) {
          if (r.nextInt(3) > 0) {
            subset.add(c);
          }
        }
        if (subset.isEmpty()) {
          subset.add(CLASSES.get(r.nextInt(CLASSES.size())));
        }
        if (lateJoiner && d == n - 1) {
          lateClasses.addAll(subset);
        } else {
          first.replica.addDevice(devices.get(d).identity.publicKey(), devices.get(d).name, subset);
        }
      }
      int steps = 25 + r.nextInt(35);
      for (int s = 0; s < steps; s++) {
        if (lateJoiner && s == steps / 2) {
          Device late = devices.get(n - 1);
          tryMembership(() -> first.replica.addDevice(late.identity.publicKey(), late.name, lateClasses));
        }
        Device dev = devices.get(r.nextInt(n));
        List<String> held = dev.replica.heldClasses();
        int what = r.nextInt(20);
        if (what < 7 && !held.isEmpty()) {
          String c = held.get(r.nextInt(held.size()));
          dev.replica.create(
              Memory.builder(MemoryId.generate(clock), "memory " + r.nextInt(1000) + " of " + c, clock.instant())
                  .memoryClass(new MemoryClass(c))
                  .tags(r.nextBoolean() ? List.of("t" + r.nextInt(3)) : List.of())
                  .build());
          trace(s + " create by " + dev.name + " in " + c);
        } else if (what < 10) {
          Optional<Memory> m = pick(dev, r);
          if (m.isPresent()) {
            MemoryEdit.Builder e = MemoryEdit.at(clock.instant());
            switch (r.nextInt(4)) {
              case 0 -> e.text(m.get().text() + " (edited " + r.nextInt(100) + ")");
              case 1 -> e.addTag("t" + r.nextInt(5));
              case 2 -> e.pinned(r.nextBoolean());
              default -> e.importance(r.nextInt(11) / 10.0);
            }
            dev.replica.update(m.get().id(), e.build());
          }
        } else if (what < 11) {
          Optional<Memory> m = pick(dev, r);
          if (m.isPresent()) {
            dev.replica.forget(m.get().id());
          }
        } else if (what < 12 && !held.isEmpty()) {
          // Grant a class this device holds to another member (an operation the log may refuse).
          Device to = devices.get(r.nextInt(n));
          String g = held.get(r.nextInt(held.size()));
          tryMembership(() -> dev.replica.grant(to.identity.publicKey(), List.of(g)));
          trace(s + " grant by " + dev.name + " to " + to.name + " " + g);
        } else if (what < 14 && r.nextInt(3) == 0) {
          // Revoke another member for good (it may keep writing until it learns: those bundles
          // beyond the cut must count nowhere).
          Device victim = devices.get(r.nextInt(n));
          if (victim != dev) {
            tryMembership(() -> dev.replica.revoke(victim.identity.publicKey()));
            trace(s + " revoke by " + dev.name + " of " + victim.name);
          }
        } else if (what < 14) {
          // Take a class from another member: a new epoch whose key that member never gets.
          Device from = devices.get(r.nextInt(n));
          if (from != dev) {
            String c = CLASSES.get(r.nextInt(CLASSES.size()));
            tryMembership(() -> dev.replica.ungrant(from.identity.publicKey(), List.of(c)));
            trace(s + " ungrant by " + dev.name + " of " + from.name + " " + c);
          }
        } else if (what == 15 && r.nextInt(2) == 0) {
          // The device stops and starts again: everything it knew comes back from its store.
          restart(dev, vaultSecret, clock);
          RESTARTS.incrementAndGet();
          trace(s + " restart " + dev.name);
        } else if (what < 15 && !held.isEmpty()) {
          // A snapshot of a class: peers lacking what it covers may bootstrap from it. Or a
          // compaction: a new epoch, a snapshot under it, covered bundles and old keys dropped.
          String c = held.get(r.nextInt(held.size()));
          if (r.nextBoolean()) {
            tryMembership(() -> dev.replica.snapshot(c));
            trace(s + " snapshot " + dev.name + " " + c);
          } else {
            tryMembership(() -> {
              dev.replica.compact(c);
              COMPACTIONS.incrementAndGet();
            });
            trace(s + " compact " + dev.name + " " + c);
          }
        } else {
          Device to = devices.get(r.nextInt(n));
          if (to != dev) {
            exchange(dev, to, r, true);
          }
        }
      }
      // Heal: late deliveries, then full exchanges in both directions for enough rounds to settle.
      for (Device dev : devices) {
        Collections.shuffle(dev.late, r);
        for (byte[] b : dev.late) {
          count(dev.replica.receive(b));
        }
        dev.late.clear();
      }
      for (int round = 0; round < 3 * n + 3; round++) {
        for (Device a : devices) {
          for (Device b : devices) {
            if (a != b) {
              exchange(a, b, r, false);
            }
          }
        }
      }
      Map<String, ClassTag> tags = new HashMap<>();
      for (String c : CLASSES) {
        tags.put(c, ClassTag.of(vaultSecret, c));
      }
      for (Device dev : devices) {
        assertEquals(first.replica.heads(), dev.replica.heads(), "membership differs");
      }
      for (String c : CLASSES) {
        Object expected = null;
        Object expectedVv = null;
        for (Device dev : devices) {
          if (dev.replica.heldClasses().contains(c)) {
            assertEquals(0, dev.replica.unsealed(), dev.name + " still waits for a key");
            Object digest = dev.replica.digest(c);
            Object vv = dev.replica.versionVectors().get(tags.get(c));
            if (expectedVv == null) {
              expectedVv = vv;
            } else {
              if (!expectedVv.equals(vv)) {
                StringBuilder why = new StringBuilder("class " + c + ": " + dev.name + " lacks bundles another holder applied: expected " + expectedVv + " but was " + vv);
                for (Device x : devices) {
                  why.append("\n ").append(x.name).append(' ').append(x.identity.publicKey()).append(" holds ").append(x.replica.heldClasses())
                      .append(" rejections ").append(x.replica.rejections()).append(" vv ").append(x.replica.versionVectors().get(tags.get(c)));
                  if (x.replica.heldClasses().contains(c)) {
                    for (byte[] b : x.replica.missing(dev.identity.publicKey(), Map.of(tags.get(c), VersionVector.empty()))) {
                      var h = SealedBundle.decode(b).header();
                      why.append("\n    bundle ").append(h.author()).append(" seq ").append(h.seq()).append(" epoch ").append(h.epoch())
                          .append(" mayWrite here ").append(x.replica.members().mayWrite(h.author(), h.classTag(), h.epoch(), h.seq()))
                          .append(" there ").append(dev.replica.members().mayWrite(h.author(), h.classTag(), h.epoch(), h.seq()))
                          .append(" holders ").append(x.replica.members().holders(h.classTag(), h.epoch()))
                          .append(" current ").append(x.replica.members().currentEpoch(h.classTag()));
                    }
                  }
                }
                fail(why.toString());
              }
            }
            if (expected == null) {
              expected = digest;
            } else {
              if (!expected.equals(digest)) {
                StringBuilder why = new StringBuilder("class " + c + " differs between devices:");
                for (Device x : devices) {
                  why.append("\n ").append(x.name).append(" holds ").append(x.replica.heldClasses())
                      .append(" rejections ").append(x.replica.rejections()).append(" held ").append(x.replica.heldChanges()).append(" vv ")
                      .append(x.replica.versionVectors().get(tags.get(c)));
                  if (x.replica.heldClasses().contains(c)) {
                    x.store.scan(Optional.of(new MemoryClass(c)), m -> {
                      why.append("\n    ").append(m.id()).append(' ').append(m.text()).append(' ').append(m.tags()).append(" pin=").append(m.pinned()).append(" imp=").append(m.importance());
                      return true;
                    });
                  }
                }
                fail(why.toString());
              }
            }
          } else {
            assertEquals(0L, dev.store.counts().getOrDefault(new MemoryClass(c), 0L), dev.name + " holds rows of " + c + ", not granted");
            assertTrue(dev.replica.keyring().currentEpoch(tags.get(c)).isEmpty(), dev.name + " holds a key of " + c + ", not granted");
          }
        }
      }
      for (Device dev : devices) {
        for (Replica.Rejection why : dev.replica.rejections().keySet()) {
          assertTrue(TRANSIENT.contains(why), dev.name + " refused honest bundles: " + dev.replica.rejections());
        }
      }
    } finally {
      for (Device dev : devices) {
        if (dev.replica != null) {
          dev.replica.close();
        }
        if (dev.store != null) {
          dev.store.close();
        }
        if (dev.prekeys != null) {
          dev.prekeys.close();
        }
        dev.keys.close();
        dev.identity.close();
      }
    }
  }

  interface MembershipAction {
    void run() throws Exception;
  }

  /** Membership operations the log finds invalid (no such member, class not held...) are skipped. */
  static void tryMembership(MembershipAction a) throws Exception {
    try {
      a.run();
    } catch (SyncException e) {
      // refused by the log: nothing changed
    }
  }

  /**
   * One sync from {@code a} to {@code b}: membership operations, prekeys, key envelopes, then the
   * bundles b lacks. With {@code faults}, bundles come shuffled, some twice, some dropped, some late.
   */
  static void exchange(Device a, Device b, Random r, boolean faults) throws Exception {
    List<byte[]> ops = new ArrayList<>(a.replica.operationsFor(b.replica.heads()));
    if (faults) {
      Collections.shuffle(ops, r);
    }
    for (byte[] op : ops) {
      b.replica.receiveOperation(op);
    }
    a.replica.learnPrekey(b.replica.prekey());
    b.replica.learnPrekey(a.replica.prekey());
    for (byte[] env : a.replica.envelopesFor(b.identity.publicKey())) {
      b.replica.receiveEnvelope(env);
    }
    List<byte[]> missing = new ArrayList<>(a.replica.missing(b.identity.publicKey(), b.replica.versionVectors()));
    if (!faults) {
      for (byte[] bundle : missing) {
        count(b.replica.receive(bundle));
      }
      return;
    }
    Collections.shuffle(missing, r);
    for (byte[] bundle : missing) {
      int fate = r.nextInt(10);
      if (fate == 0) {
        continue; // dropped
      }
      if (fate == 1) {
        b.late.add(bundle);
        continue;
      }
      count(b.replica.receive(bundle));
      if (fate == 2) {
        b.replica.receive(bundle); // duplicate
      }
    }
  }

  /** Closes a device's replica and store, opens the store again and the replica from it. */
  static void restart(Device dev, SecretBytes vaultSecret, Clock clock) throws Exception {
    dev.replica.close();
    dev.store.close();
    dev.store = RocksStoreModule.open(dev.dir, StorageKey.of(dev.master.material()));
    dev.replica = Replica.open(dev.store, dev.identity, vaultSecret, CLASSES, clock);
  }

  /** Restarts of a device over all runs. */
  static final java.util.concurrent.atomic.AtomicLong RESTARTS = new java.util.concurrent.atomic.AtomicLong();
  /** Compactions that went through (a new epoch, a snapshot, bundles and old keys dropped), over all runs. */
  static final java.util.concurrent.atomic.AtomicLong COMPACTIONS = new java.util.concurrent.atomic.AtomicLong();

  static boolean TRACE = Boolean.getBoolean("mnode.sim.trace") || System.getenv("MNODE_SIM_TRACE") != null;

  static void trace(String what) {
    if (TRACE) {
      System.out.println("sim: " + what);
    }
  }

  static void count(Replica.Outcome o) {
    if (o.detail().equals("snapshot")) {
      BOOTSTRAPS.incrementAndGet();
    }
  }

  static Optional<Memory> pick(Device dev, Random r) throws Exception {
    List<Memory> all = new ArrayList<>();
    dev.store.scan(Optional.empty(), m -> all.add(m));
    all.sort((a, b) -> a.id().compareTo(b.id()));
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(r.nextInt(all.size())));
  }
}
