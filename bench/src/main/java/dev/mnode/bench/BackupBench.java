package dev.mnode.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.RecoveryPhrase;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.NodeStatus;
import dev.mnode.node.PassphraseSource;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.backup.BackupSummary;
import dev.mnode.node.backup.Backups;
import dev.mnode.node.backup.RecoveryPhrases;
import dev.mnode.node.backup.RestoreSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Locale;

/**
 * {@code bin/bench backup [N]}: a home of N synthetic memories (the {@link Corpus} of the other
 * benchmarks, imported), backed up to a sealed archive, deleted and restored; prints the time,
 * size and rate of each step, and fails if the restored home's state digest differs. Uses the
 * default Argon2id cost (64 MiB, 3 passes) for the archive and the new key file, as the CLI does.
 */
final class BackupBench {
  private BackupBench() {}

  static void run(PrintStream out, int n) throws Exception {
    Path dir = Files.createTempDirectory("mnode-backupbench-");
    Clock clock = Clock.systemUTC();
    Home home = new Home(dir.resolve("home"));
    Path archive = dir.resolve("vault.mnbk");
    try {
      byte[] lines = corpus(n);
      NodeStatus before;
      BackupSummary b;
      String words;
      try (MemoryService svc = NodeModule.init(home, null, Argon2Params.DEFAULT, clock)) {
        System.err.print("bench: importing " + n + " memories...");
        svc.importJsonLines(new ByteArrayInputStream(lines), lines.length, ProgressListener.NONE);
        System.err.print("\r\033[Kbench: backing up...");
        before = svc.status();
        b = NodeModule.backup(svc, archive, Argon2Params.DEFAULT, ProgressListener.NONE);
        try (RecoveryPhrases.Ensured p = NodeModule.recoveryPhrase(svc)) {
          words = p.phrase().words();
        }
      }
      long homeBytes = sizeOf(home.dir());
      deleteTree(home.dir());
      System.err.print("\r\033[Kbench: restoring...");
      RestoreSummary r;
      try (RecoveryPhrase phrase = RecoveryPhrase.parse(words)) {
        r = Backups.restore(archive, phrase, home, null, Argon2Params.DEFAULT, ProgressListener.NONE);
      }
      System.err.print("\r\033[K");
      try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, clock)) {
        NodeStatus after = svc.status();
        if (!after.digest().equals(before.digest()) || after.count() != before.count()) {
          throw new IllegalStateException("the restored home differs: " + after.count() + " memories, digest " + after.digest());
        }
      }
      Table t = new Table(
          "Backup and restore of " + String.format(Locale.ROOT, "%,d", n) + " memories (Argon2id 64 MiB x3 each way)",
          1, "step", "seconds", "MB", "memories/s");
      t.row("backup (seal, write, sync)", String.format(Locale.ROOT, "%.1f", b.seconds()),
          String.format(Locale.ROOT, "%.1f", b.bytes() / 1e6), String.format(Locale.ROOT, "%,.0f", n / b.seconds()));
      t.row("restore (open, check, write store)", String.format(Locale.ROOT, "%.1f", r.seconds()),
          String.format(Locale.ROOT, "%.1f", b.bytes() / 1e6), String.format(Locale.ROOT, "%,.0f", n / r.seconds()));
      t.row("home before backup (on disk)", "", String.format(Locale.ROOT, "%.1f", homeBytes / 1e6), "");
      t.print(out);
    } finally {
      deleteTree(dir);
    }
  }

  private static byte[] corpus(int n) throws Exception {
    Corpus corpus = new Corpus(42);
    ByteArrayOutputStream buf = new ByteArrayOutputStream(n * 700);
    for (int i = 0; i < n; i++) {
      SyntheticMemory m = corpus.next();
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("text", m.text());
      o.put("class", m.memoryClass());
      m.tags().forEach(o.putArray("tags")::add);
      o.put("importance", m.importance());
      o.put("source", m.source());
      o.put("created", m.created().toString());
      ObjectNode meta = o.putObject("metadata");
      m.metadata().forEach(meta::put);
      buf.write(MemoryJson.MAPPER.writeValueAsBytes(o));
      buf.write('\n');
    }
    return buf.toByteArray();
  }

  private static long sizeOf(Path root) throws Exception {
    try (var s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (var s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
