package dev.mnode.cli;

import dev.mnode.node.ListQuery;
import dev.mnode.node.MemoryService;
import dev.mnode.store.Memory;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List memories, newest first.")
final class ListCommand extends Mnode.Sub {
  @Option(names = "--class", paramLabel = "C", description = "Only this class; repeat for several.")
  @Nullable List<String> classes;

  @Option(names = "--tag", paramLabel = "T", description = "Only memories with this tag.")
  @Nullable String tag;

  @Option(names = "--source", paramLabel = "S", description = "Only memories from this source.")
  @Nullable String source;

  @Option(names = "--since", paramLabel = "DATE", description = "Created at or after DATE (2026-11-26, an ISO instant, or 7d/24h ago).")
  @Nullable String since;

  @Option(names = "--until", paramLabel = "DATE", description = "Created before DATE.")
  @Nullable String until;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--archived", description = "Include archived memories (see: mnode compact).")
  boolean archived;

  @Override
  void run(Mnode m) throws Exception {
    if (limit < 1 || limit > ListQuery.MAX_LIMIT) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input", "--limit must be 1.." + ListQuery.MAX_LIMIT + ": " + limit);
    }
    Instant from = since == null ? null : Dates.parse(since, m.clock);
    Instant to = until == null ? null : Dates.parse(until, m.clock);
    List<Memory> found;
    try (MemoryService svc = m.open()) {
      found = svc.list(new ListQuery(Mnode.nonNull(classes), tag, source, from, to, limit, archived));
    }
    if (m.json) {
      m.printJson(Render.memories(found));
    } else {
      found.forEach(mem -> Render.memoryLine(m.out, mem));
      if (found.isEmpty()) {
        m.err.println("no memories match");
      }
    }
  }
}
