package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.aging.CompactReport;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mnode compact}: archives old, unimportant memories and, with a summarize endpoint
 * configured, replaces groups of old near-duplicates by one summary each. {@code --json} prints
 * {@code {"dry_run", "now", "scanned", "already_archived", "archive": {class: [ids]}, "archive_count",
 * "groups": [{"class", "ids", "min_similarity", "summary"}], "summarize": endpoint or null,
 * "failures": [...], "sealed": [{"class", "epoch", "parts", "dropped_bundles", "retired_keys"}]}}.
 */
@Command(
    name = "compact",
    description = {
      "Archive old memories: neither created nor recalled for aging.archive_after_days",
      "(default 180), importance below aging.importance_floor (default 0.3), unpinned.",
      "They leave default recall and list. With a summarize endpoint in config.json,",
      "old near-duplicates of one class become one summary. Forgotten memories are made",
      "final: their class gets a new key; older keys and bundles are erased. Stop a running node first."
    })
final class CompactCommand extends Mnode.Sub {
  @Option(names = "--dry-run", description = "Only show what would be archived and summarized.")
  boolean dryRun;

  @Override
  void run(Mnode m) throws Exception {
    CompactReport r;
    ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "memories") : null;
    try (MemoryService svc = m.openLocal()) {
      r = NodeModule.compact(svc, dryRun, bar == null ? ProgressListener.NONE : bar);
    } finally {
      if (bar != null) {
        bar.finish();
      }
    }
    if (m.json) {
      m.printJson(json(r));
    } else {
      text(m, r);
    }
  }

  static ObjectNode json(CompactReport r) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("dry_run", r.dryRun());
    o.put("now", r.now().toString());
    o.put("scanned", r.scanned());
    o.put("already_archived", r.alreadyArchived());
    ObjectNode archive = o.putObject("archive");
    r.archive().forEach((c, ids) -> ids.forEach(archive.withArray(c)::add));
    o.put("archive_count", r.archiveCount());
    ArrayNode groups = o.putArray("groups");
    for (int i = 0; i < r.groups().size(); i++) {
      CompactReport.Group g = r.groups().get(i);
      ObjectNode go = groups.addObject();
      go.put("class", g.memoryClass());
      g.ids().forEach(go.putArray("ids")::add);
      go.put("min_similarity", Math.round(g.minSimilarity() * 1000) / 1000.0);
      Optional<String> s = i < r.summaryIds().size() ? r.summaryIds().get(i) : Optional.empty();
      go.put("summary", s.orElse(null));
    }
    o.put("summarize", r.summarize().orElse(null));
    r.failures().forEach(o.putArray("failures")::add);
    ArrayNode sealed = o.putArray("sealed");
    for (CompactReport.Sealed x : r.sealed()) {
      sealed.addObject().put("class", x.memoryClass()).put("epoch", x.epoch()).put("parts", x.parts())
          .put("dropped_bundles", x.droppedBundles()).put("retired_keys", x.retiredKeys());
    }
    return o;
  }

  private static void text(Mnode m, CompactReport r) {
    String verb = r.dryRun() ? "would archive" : "archived";
    m.out.printf(Locale.ROOT, "%s %,d of %,d memories (%,d archived before)%n", verb, r.archiveCount(), r.scanned(),
        r.alreadyArchived());
    r.archive().forEach((c, ids) -> m.out.printf(Locale.ROOT, "  %s: %,d  %s%n", c, ids.size(), preview(ids)));
    if (r.groups().isEmpty()) {
      m.out.println("no groups of old near-duplicates");
    } else {
      m.out.printf(Locale.ROOT, "%,d groups of old near-duplicates:%n", r.groups().size());
      for (int i = 0; i < r.groups().size(); i++) {
        CompactReport.Group g = r.groups().get(i);
        Optional<String> s = i < r.summaryIds().size() ? r.summaryIds().get(i) : Optional.empty();
        m.out.printf(Locale.ROOT, "  %s: %d memories (cosine >= %.2f)%s  %s%n", g.memoryClass(), g.ids().size(),
            g.minSimilarity(), s.map(id -> " -> summary " + id).orElse(""), preview(g.ids()));
      }
    }
    if (r.summarize().isEmpty()) {
      m.out.println("nothing summarized: no summarize endpoint in config.json (see docs/aging.md)");
    } else if (r.dryRun() && !r.groups().isEmpty()) {
      m.out.println("would summarize each group through " + r.summarize().get());
    }
    r.failures().forEach(f -> m.err.println("mnode: warning: summary failed for " + f));
    for (CompactReport.Sealed x : r.sealed()) {
      m.out.printf(Locale.ROOT, "forgotten memories of %s are gone for good: new key (epoch %d), %d snapshot part(s), %,d bundle(s) dropped, %d old key(s) erased%n",
          x.memoryClass(), x.epoch(), x.parts(), x.droppedBundles(), x.retiredKeys());
    }
  }

  private static String preview(List<String> ids) {
    return ids.size() <= 3 ? String.join(" ", ids) : String.join(" ", ids.subList(0, 3)) + " ...";
  }
}
