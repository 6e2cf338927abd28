package dev.mnode.store.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.crypto.StorageKey;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreException;
import dev.mnode.store.StoreInUseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksMemoryStoreTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("store");
  }

  private static StorageKey copy(StorageKey k) throws Exception {
    return StorageKey.of(k.material());
  }

  static Memory sample(String text, MemoryClass c) {
    Instant t = Instant.parse("2026-11-26T10:00:00.123456789Z");
    return Memory.builder(MemoryId.generate(CLOCK), text, t)
        .memoryClass(c)
        .tags(List.of("payments", "décision"))
        .importance(0.75)
        .source("claude")
        .pinned(true)
        .metadata(Map.of("project", "atlas", "k", ""))
        .links(List.of(MemoryId.generate(CLOCK)))
        .updated(t.plusSeconds(5))
        .build();
  }

  @Test
  void put_get_roundTripsEveryField_acrossReopen() throws Exception {
    StorageKey master = StorageKey.generate();
    Memory m = sample("We chose Stripe over Adyen", MemoryClass.WORK);
    try (MemoryStore s = RocksStoreModule.create(dir(), copy(master), CLOCK)) {
      s.put(m);
      assertEquals(Optional.of(m), s.get(m.id()));
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
    try (MemoryStore s = RocksStoreModule.open(dir(), master)) {
      assertEquals(Optional.of(m), s.get(m.id()));
      assertEquals(1L, s.counts().get(MemoryClass.WORK));
      assertEquals(MemoryStore.SCHEMA_VERSION, s.info().schema());
    }
  }

  @Test
  void replace_moveClass_delete_keepCountsRight() throws Exception {
    try (MemoryStore s = RocksStoreModule.create(dir(), StorageKey.generate(), CLOCK)) {
      Memory m = sample("a", MemoryClass.WORK);
      s.put(m);
      s.put(m.toBuilder().text("b").build());
      assertEquals(1L, s.counts().get(MemoryClass.WORK));
      s.put(m.toBuilder().memoryClass(MemoryClass.HEALTH).build());
      assertEquals(0L, s.counts().get(MemoryClass.WORK));
      assertEquals(1L, s.counts().get(MemoryClass.HEALTH));
      assertEquals(List.of(), scan(s, MemoryClass.WORK));
      assertEquals(1, scan(s, MemoryClass.HEALTH).size());
      assertTrue(s.delete(m.id()));
      assertFalse(s.delete(m.id()));
      assertEquals(0L, s.counts().get(MemoryClass.HEALTH));
      assertEquals(Optional.empty(), s.get(m.id()));
    }
  }

  @Test
  void scan_isNewestFirst_andFiltersByClass() throws Exception {
    try (MemoryStore s = RocksStoreModule.create(dir(), StorageKey.generate(), CLOCK)) {
      List<Memory> written = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Memory m = sample("m" + i, i % 2 == 0 ? MemoryClass.WORK : MemoryClass.PERSONAL);
        written.add(m);
      }
      s.putAll(written);
      List<Memory> all = scan(s, null);
      assertEquals(50, all.size());
      for (int i = 0; i < 50; i++) {
        assertEquals(written.get(49 - i), all.get(i));
      }
      List<Memory> work = scan(s, MemoryClass.WORK);
      assertEquals(25, work.size());
      assertTrue(work.stream().allMatch(m -> m.memoryClass().equals(MemoryClass.WORK)));
      assertEquals(written.get(48), work.get(0));
    }
  }

  @Test
  void concurrentWriters_allLand_withExactCounts_throughGroupCommit() throws Exception {
    int threads = 8;
    int perThread = 150;
    try (MemoryStore s = RocksStoreModule.create(dir(), StorageKey.generate(), CLOCK)) {
      List<Memory> kept = java.util.Collections.synchronizedList(new ArrayList<>());
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    Memory m = sample("t" + thread + " m" + i, i % 2 == 0 ? MemoryClass.WORK : MemoryClass.HEALTH);
                    s.put(m);
                    if (i % 3 == 0) {
                      assertTrue(s.delete(m.id()));
                      assertFalse(s.delete(m.id()));
                    } else {
                      kept.add(m);
                    }
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(kept.size(), scan(s, null).size());
      for (Memory m : kept) {
        assertEquals(Optional.of(m), s.get(m.id()));
      }
      long work = kept.stream().filter(m -> m.memoryClass().equals(MemoryClass.WORK)).count();
      assertEquals(work, s.counts().get(MemoryClass.WORK));
      assertEquals(kept.size() - work, s.counts().get(MemoryClass.HEALTH));
      assertEquals(work, scan(s, MemoryClass.WORK).size());
    }
  }

  @Test
  void unknownClass_isRefused_untilAdded() throws Exception {
    try (MemoryStore s = RocksStoreModule.create(dir(), StorageKey.generate(), CLOCK)) {
      MemoryClass legal = new MemoryClass("legal");
      StoreException e = assertThrows(StoreException.class, () -> s.put(sample("x", legal)));
      assertTrue(e.getMessage().contains("unknown class"));
      assertEquals(0, s.counts().values().stream().mapToLong(Long::longValue).sum());
      assertTrue(s.addClass(legal));
      assertFalse(s.addClass(legal));
      s.put(sample("x", legal));
      assertEquals(1L, s.counts().get(legal));
    }
  }

  @Test
  void open_whileOpen_saysInUseByThisPid() throws Exception {
    StorageKey master = StorageKey.generate();
    try (MemoryStore s = RocksStoreModule.create(dir(), copy(master), CLOCK)) {
      StoreInUseException e =
          assertThrows(StoreInUseException.class, () -> RocksStoreModule.open(dir(), master));
      assertEquals(ProcessHandle.current().pid(), e.pid());
      assertEquals("store is in use by pid " + ProcessHandle.current().pid(), e.getMessage());
    }
  }

  @Test
  void secondOpenInSameProcess_leavesTheFirstOpenersOsLockInPlace() throws Exception {
    StorageKey master = StorageKey.generate();
    try (MemoryStore s = RocksStoreModule.create(dir(), copy(master), CLOCK)) {
      assertThrows(StoreInUseException.class, () -> RocksStoreModule.open(dir(), copy(master)));
      // Had the refused opener closed a descriptor of the lock file, Linux would have dropped the
      // first opener's lock: the kernel's lock table must still list it for this process.
      assertTrue(osLockHeld(dir().resolve(StoreLock.FILE)), "OS lock still held");
      s.put(sample("still mine", MemoryClass.WORK));
    }
    RocksStoreModule.open(dir(), master).close();
  }

  @Test
  void secrets_areSealed_surviveReopen_andLeaveTheFilesWhenDeleted() throws Exception {
    StorageKey master = StorageKey.generate();
    byte[] raw = "0123456789abcdef0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (MemoryStore s = RocksStoreModule.create(dir(), copy(master), CLOCK)) {
      s.putSecret("device-identity", dev.mnode.crypto.SecretBytes.copyOf(raw));
      s.compact();
    }
    assertEquals(-1, grep(raw), "secret in clear on disk");
    try (MemoryStore s = RocksStoreModule.open(dir(), copy(master))) {
      assertArrayEquals(raw, s.secret("device-identity").orElseThrow().copy());
      assertEquals(Optional.empty(), s.secret("other"));
      assertTrue(s.deleteSecret("device-identity"));
      assertFalse(s.deleteSecret("device-identity"));
      assertEquals(Optional.empty(), s.secret("device-identity"));
    }
    assertThrows(IllegalArgumentException.class, () -> Schema.secretKey("Bad Name"));
  }

  @Test
  void secretMovedToAnotherName_doesNotOpen() throws Exception {
    StorageKey master = StorageKey.generate();
    try (MemoryStore s = RocksStoreModule.create(dir(), copy(master), CLOCK)) {
      s.putSecret("a", dev.mnode.crypto.SecretBytes.random(32));
    }
    try (Schema x = Schema.openDb(dir().toString(), false, copy(master))) {
      x.db().put(x.keys(), Schema.secretKey("b"), x.db().get(x.keys(), Schema.secretKey("a")));
    }
    try (MemoryStore s = RocksStoreModule.open(dir(), master)) {
      assertThrows(StoreException.class, () -> s.secret("b"));
    }
  }

  private long grep(byte[] needle) throws Exception {
    try (java.util.stream.Stream<Path> files = Files.walk(dir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String hay = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (hay.contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1))) {
          return 1;
        }
      }
    }
    return -1;
  }

  @Test
  void open_withOtherKey_failsClearly() throws Exception {
    RocksStoreModule.create(dir(), StorageKey.generate(), CLOCK).close();
    StoreException e =
        assertThrows(StoreException.class, () -> RocksStoreModule.open(dir(), StorageKey.generate()));
    assertTrue(e.getMessage().contains("key file does not belong to this store"), e.getMessage());
  }

  @Test
  void open_newerSchema_isRefused_andLeftUnchanged() throws Exception {
    StorageKey master = StorageKey.generate();
    RocksStoreModule.create(dir(), copy(master), CLOCK).close();
    try (Schema s = Schema.openDb(dir().toString(), false, copy(master))) {
      s.writeSchemaVersion(MemoryStore.SCHEMA_VERSION + 1);
    }
    StoreException e =
        assertThrows(StoreException.class, () -> RocksStoreModule.open(dir(), copy(master)));
    assertTrue(e.getMessage().contains("newer mnode"), e.getMessage());
    try (Schema s = Schema.openDb(dir().toString(), false, copy(master))) {
      assertEquals(MemoryStore.SCHEMA_VERSION + 1, s.recordedSchema());
    }
  }

  @Test
  void open_notAStore_failsClearly() throws Exception {
    Files.createDirectories(dir());
    StoreException e =
        assertThrows(StoreException.class, () -> RocksStoreModule.open(dir(), StorageKey.generate()));
    assertEquals("not an mnode store: " + dir(), e.getMessage());
  }

  @Test
  void get_tamperedValue_isRejectedAsDamaged() throws Exception {
    StorageKey master = StorageKey.generate();
    Memory m = sample("text", MemoryClass.WORK);
    try (MemoryStore s = RocksStoreModule.create(dir(), copy(master), CLOCK)) {
      s.put(m);
    }
    try (Schema s = Schema.openDb(dir().toString(), false, copy(master))) {
      byte[] v = s.db().get(s.memories(), m.id().toBytes());
      v[v.length - 3] ^= 1;
      s.db().put(s.memories(), m.id().toBytes(), v);
    }
    try (MemoryStore s = RocksStoreModule.open(dir(), master)) {
      StoreException e = assertThrows(StoreException.class, () -> s.get(m.id()));
      assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
    }
  }

  @Test
  void valueMovedToOtherId_doesNotOpen() throws Exception {
    StorageKey master = StorageKey.generate();
    Memory a = sample("alpha", MemoryClass.WORK);
    Memory b = sample("beta", MemoryClass.WORK);
    try (MemoryStore s = RocksStoreModule.create(dir(), copy(master), CLOCK)) {
      s.putAll(List.of(a, b));
    }
    try (Schema s = Schema.openDb(dir().toString(), false, copy(master))) {
      s.db().put(s.memories(), b.id().toBytes(), s.db().get(s.memories(), a.id().toBytes()));
    }
    try (MemoryStore s = RocksStoreModule.open(dir(), master)) {
      assertThrows(StoreException.class, () -> s.get(b.id()));
    }
  }

  /** Reads /proc/locks for a lock of this process on {@code file}'s inode. */
  private static boolean osLockHeld(Path file) throws Exception {
    long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    String pid = Long.toString(ProcessHandle.current().pid());
    for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
      String[] f = line.trim().split("\\s+");
      // "1: POSIX  ADVISORY  WRITE 4242 fd:01:1234567 0 EOF"
      if (f.length >= 6 && f[4].equals(pid) && f[5].endsWith(":" + inode)) {
        return true;
      }
    }
    return false;
  }

  static List<Memory> scan(MemoryStore s, MemoryClass c) throws StoreException {
    List<Memory> out = new ArrayList<>();
    s.scan(Optional.ofNullable(c), m -> out.add(m));
    return out;
  }
}
