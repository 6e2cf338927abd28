package dev.mnode.cli;

import dev.mnode.node.MemoryService;
import dev.mnode.node.ProgressListener;
import picocli.CommandLine.Command;

@Command(
    name = "reindex",
    description = "Rebuild the recall index from the store, embedding every memory again.")
final class ReindexCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) throws Exception {
    long start = System.nanoTime();
    long n;
    try (MemoryService svc = m.open()) {
      ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "memories") : null;
      try {
        n = svc.reindex(bar == null ? ProgressListener.NONE : bar);
      } finally {
        if (bar != null) {
          bar.finish();
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (m.json) {
      m.printJson(dev.mnode.node.MemoryJson.MAPPER.createObjectNode().put("indexed", n).put("seconds", Math.round(seconds * 1000) / 1000.0));
    } else {
      m.out.printf(java.util.Locale.ROOT, "indexed %,d memories in %.1f s%n", n, seconds);
    }
  }
}
