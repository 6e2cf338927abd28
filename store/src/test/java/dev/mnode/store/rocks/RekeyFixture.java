package dev.mnode.store.rocks;

import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import dev.mnode.store.MemoryStore;
import dev.mnode.store.StoreBatch;
import dev.mnode.store.SyncFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A store's content for re-key tests: memories of every class, sync values of both kinds, secrets. */
final class RekeyFixture {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  private RekeyFixture() {}

  /** Writes {@code n} memories (spread over the built-in classes) and two sync values per memory. */
  static void fill(MemoryStore s, int n, String label) throws Exception {
    List<MemoryClass> classes = MemoryClass.BUILT_IN;
    for (int from = 0; from < n; from += 500) {
      StoreBatch b = new StoreBatch();
      for (int i = from; i < Math.min(n, from + 500); i++) {
        MemoryClass c = classes.get(i % classes.size());
        Memory m = Memory.builder(MemoryId.generate(CLOCK), label + " memory " + i, CLOCK.instant()).memoryClass(c).build();
        b.put(m)
            .putSync(SyncFamily.DOCS, m.id().toBytes(), Optional.of(c), utf8(label + " doc " + i))
            .putSync(SyncFamily.BUNDLES, utf8(label + "/b/" + i), utf8(label + " bundle " + i));
      }
      s.write(b);
    }
    s.write(new StoreBatch().putSync(SyncFamily.OPS, utf8(label + "/op"), utf8(label + " op")));
    try (dev.mnode.crypto.SecretBytes sec = dev.mnode.crypto.SecretBytes.copyOf(utf8(label + " secret"))) {
      s.putSecret("secret-" + label, sec);
    }
  }

  /** Everything a store reads back, as text, in a stable order. */
  static SortedMap<String, String> content(MemoryStore s) throws Exception {
    SortedMap<String, String> out = new TreeMap<>();
    List<Exception> failures = new ArrayList<>();
    s.scan(Optional.empty(), m -> {
      out.put("m/" + m.id(), m.memoryClass() + "|" + m.text());
      return true;
    });
    for (MemoryClass c : s.classes()) {
      long[] n = {0};
      s.scan(Optional.of(c), m -> {
        n[0]++;
        return true;
      });
      out.put("scan/" + c, Long.toString(n[0]));
    }
    s.counts().forEach((c, n) -> out.put("count/" + c, Long.toString(n)));
    for (SyncFamily f : SyncFamily.values()) {
      s.syncScanSealed(f, new byte[0], (k, sealedFor, v) -> {
        out.put(f.family() + "/" + HexFormat.of().formatHex(k), sealedFor.map(MemoryClass::name).orElse("-") + "|" + new String(v, StandardCharsets.UTF_8));
        return true;
      });
    }
    for (String name : s.secretNames()) {
      try (var v = s.secret(name).orElseThrow()) {
        out.put("secret/" + name, HexFormat.of().formatHex(v.copy()));
      }
    }
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Copies every file of {@code from} (a closed store, or one whose files are flushed) to {@code to}. */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else if (!f.getFileName().toString().equals("LOCK") && !f.getFileName().toString().equals("mnode.pid")) {
          Files.copy(f, t);
        }
      }
    }
  }
}
