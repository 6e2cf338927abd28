package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.crypto.Argon2Params;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.backup.BackupSummary;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "backup",
    description = {
      "Write an encrypted backup of this home (memories, classes, keys, sync state, config) to FILE,",
      "sealed under the home's recovery phrase (see: mnode recovery show). Stop a running node first."
    })
final class BackupCommand extends Mnode.Sub {
  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Override
  void run(Mnode m) throws Exception {
    BackupSummary s;
    ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "memories") : null;
    try (MemoryService svc = m.openLocal()) {
      s = NodeModule.backup(svc, file, Argon2Params.DEFAULT, bar == null ? ProgressListener.NONE : bar);
    } finally {
      if (bar != null) {
        bar.finish();
      }
    }
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("file", s.file().toString());
      o.put("memories", s.memories());
      o.put("sync_rows", s.syncRows());
      o.put("bytes", s.bytes());
      o.put("seconds", s.seconds());
      o.put("recovery_phrase_made", s.phraseMadeNow());
      m.printJson(o);
    } else {
      if (s.phraseMadeNow()) {
        m.out.println("this home had no recovery phrase: one was made now; see it with: mnode recovery show");
      }
      m.out.printf(Locale.ROOT, "backed up %,d memories to %s (%.1f MB) in %.1f s%n",
          s.memories(), s.file(), s.bytes() / 1e6, s.seconds());
    }
  }
}
