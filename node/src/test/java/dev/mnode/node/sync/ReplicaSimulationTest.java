package dev.mnode.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mnode.crdt.MemoryEdit;
import dev.mnode.crdt.membership.MembershipLog;
import dev.mnode.crdt.membership.MembershipModule;
import dev.mnode.crdt.membership.Operation;
import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.ClassKeyring;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.DeviceIdentity;
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
 * N devices of one vault in this JVM, each with its own real RocksDB store, doing random
 * remember, update and forget on the classes each was granted, while bundles move between random
 * pairs in random order, with duplicates, drops and late redelivery. At the end every device holds
 * the same digest for every class it holds, holds nothing of a class it was not granted, and
 * refused no honest bundle.
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
    final DeviceIdentity identity = DeviceIdentity.generate();
    final List<String> classes;
    MemoryStore store;
    Replica replica;
    final ClassKeyring keys = new ClassKeyring();
    final List<byte[]> late = new ArrayList<>();

    Device(List<String> classes) {
      this.classes = classes;
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
  }

  static void run(long seed, Path dir) throws Exception {
    Random r = new Random(seed);
    Clock clock = new Ticking();
    Bytes vault = Bytes.copyOf(new byte[16]);
    int n = 2 + r.nextInt(3);
    List<Device> devices = new ArrayList<>();
    try (SecretBytes vaultSecret = SecretBytes.random(32)) {
      Map<String, ClassTag> tags = new HashMap<>();
      for (String c : CLASSES) {
        tags.put(c, ClassTag.of(vaultSecret, c));
      }
      // Device 0 holds every class; each other device a random non-empty subset.
      devices.add(new Device(CLASSES));
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
        devices.add(new Device(subset));
      }
      Device first = devices.get(0);
      Operation genesis = Operation.genesis(first.identity, vault, "device-0", CLASSES.stream().map(tags::get).toList());
      MembershipLog log = MembershipModule.startFrom(genesis, 1024);
      for (int d = 1; d < n; d++) {
        Device dev = devices.get(d);
        log.addDevice(first.identity, dev.identity.publicKey(), "device-" + d, dev.classes.stream().map(tags::get).toList());
      }
      // Epoch-1 keys, given to the holders only (key envelopes carry them in the real flow).
      for (String c : CLASSES) {
        int epoch = log.currentEpoch(tags.get(c)).orElseThrow();
        try (SecretBytes key = SecretBytes.random(32)) {
          for (Device dev : devices) {
            if (dev.classes.contains(c)) {
              dev.keys.add(tags.get(c), epoch, key);
            }
          }
        }
      }
      for (int d = 0; d < n; d++) {
        Device dev = devices.get(d);
        dev.store = RocksStoreModule.create(dir.resolve("d" + d), StorageKey.generate(), clock);
        dev.replica = new Replica(dev.store, dev.identity, vault, vaultSecret, dev.classes, dev.keys, log::mayWrite, clock);
      }
      int steps = 20 + r.nextInt(30);
      for (int s = 0; s < steps; s++) {
        Device dev = devices.get(r.nextInt(n));
        int what = r.nextInt(10);
        if (what < 4) {
          String c = dev.classes.get(r.nextInt(dev.classes.size()));
          dev.replica.create(
              Memory.builder(MemoryId.generate(clock), "memory " + r.nextInt(1000) + " of " + c, clock.instant())
                  .memoryClass(new MemoryClass(c))
                  .tags(r.nextBoolean() ? List.of("t" + r.nextInt(3)) : List.of())
                  .build());
        } else if (what < 6) {
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
        } else if (what < 7) {
          Optional<Memory> m = pick(dev, r);
          if (m.isPresent()) {
            dev.replica.forget(m.get().id());
          }
        } else {
          Device to = devices.get(r.nextInt(n));
          if (to != dev) {
            deliver(dev, to, r);
          }
        }
      }
      // Heal: late deliveries first, then full exchanges until nothing moves (bounded).
      for (Device dev : devices) {
        Collections.shuffle(dev.late, r);
        for (byte[] b : dev.late) {
          dev.replica.receive(b);
        }
        dev.late.clear();
      }
      for (int round = 0; round < 2 * n + 2; round++) {
        boolean moved = false;
        for (Device a : devices) {
          for (Device b : devices) {
            if (a != b) {
              List<byte[]> missing = a.replica.missing(b.replica.versionVectors());
              moved |= !missing.isEmpty();
              for (byte[] bundle : missing) {
                b.replica.receive(bundle);
              }
            }
          }
        }
        if (!moved) {
          break;
        }
        assertTrue(round < 2 * n + 1, "exchanges did not settle");
      }
      for (String c : CLASSES) {
        Object expected = null;
        for (Device dev : devices) {
          if (dev.classes.contains(c)) {
            Object digest = dev.replica.digest(c);
            if (expected == null) {
              expected = digest;
            } else {
              assertEquals(expected, digest, "class " + c + " differs between devices");
            }
          } else {
            assertEquals(0L, dev.store.counts().getOrDefault(new MemoryClass(c), 0L), "a device holds rows of a class it was not granted");
          }
        }
      }
      for (Device dev : devices) {
        assertEquals(Map.of(), dev.replica.rejections(), "honest bundles refused");
      }
    } finally {
      for (Device dev : devices) {
        if (dev.replica != null) {
          dev.replica.close();
        }
        if (dev.store != null) {
          dev.store.close();
        }
        dev.keys.close();
        dev.identity.close();
      }
    }
  }

  /** Sends what {@code to} lacks, shuffled, some twice, some dropped and some held back for later. */
  static void deliver(Device from, Device to, Random r) throws Exception {
    List<byte[]> missing = new ArrayList<>(from.replica.missing(to.replica.versionVectors()));
    Collections.shuffle(missing, r);
    for (byte[] b : missing) {
      int fate = r.nextInt(10);
      if (fate == 0) {
        continue; // dropped
      }
      if (fate == 1) {
        to.late.add(b);
        continue;
      }
      to.replica.receive(b);
      if (fate == 2) {
        to.replica.receive(b); // duplicate
      }
    }
  }

  static Optional<Memory> pick(Device dev, Random r) throws Exception {
    List<Memory> all = new ArrayList<>();
    dev.store.scan(Optional.empty(), m -> all.add(m));
    all.sort((a, b) -> a.id().compareTo(b.id()));
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(r.nextInt(all.size())));
  }
}
