package dev.mnode.cli;

import dev.mnode.node.MemoryService;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.RecallHit;
import dev.mnode.node.RecallQuery;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "recall",
    description = {
      "Find the memories that best answer QUERY: meaning (on-device embeddings) and words (BM25) fused,",
      "weighed by recency and importance. Offline."
    })
final class RecallCommand extends Mnode.Sub {
  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "What to recall (words are joined by spaces).")
  List<String> words;

  @Option(names = "-k", paramLabel = "N", defaultValue = "10", description = "At most N memories (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--class", paramLabel = "C", description = "Only this class; repeat for several.")
  @Nullable List<String> classes;

  @Option(names = "--tag", paramLabel = "T", description = "Only memories with this tag; repeat to require several.")
  @Nullable List<String> tags;

  @Option(names = "--source", paramLabel = "S", description = "Only memories from this source.")
  @Nullable String source;

  @Option(names = "--since", paramLabel = "DATE", description = "Created at or after DATE (2026-11-26, an ISO instant, or 7d/24h ago).")
  @Nullable String since;

  @Option(names = "--until", paramLabel = "DATE", description = "Created before DATE.")
  @Nullable String until;

  @Option(names = "--archived", description = "Include archived memories (see: mnode compact).")
  boolean archived;

  @Option(names = "--explain", description = "Show every part of each score.")
  boolean explain;

  @Override
  void run(Mnode m) throws Exception {
    Instant from = since == null ? null : Dates.parse(since, m.clock);
    Instant to = until == null ? null : Dates.parse(until, m.clock);
    RecallQuery q =
        new RecallQuery(
            String.join(" ", words), k, Mnode.nonNull(classes), Mnode.nonNull(tags), source, from, to, archived);
    List<RecallHit> hits;
    try (MemoryService svc = m.open()) {
      ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "memories") : null;
      try {
        hits = svc.recall(q, bar == null ? ProgressListener.NONE : bar);
      } finally {
        if (bar != null) {
          bar.finish();
        }
      }
    }
    if (m.json) {
      m.printJson(Render.recall(hits, explain));
    } else {
      Render.recallText(m.out, hits, explain);
      if (hits.isEmpty()) {
        m.err.println("nothing recalled");
      }
    }
  }
}
