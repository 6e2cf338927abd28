package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.access.AuditEntry;
import dev.mnode.node.access.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description = {
      "Show the audit log of the local API, oldest first: time, app, operation, status, how many",
      "memories, which classes. It never holds memory text or queries."
    })
final class AuditCommand extends Mnode.Sub {
  @Option(names = "--app", paramLabel = "A", description = "Only this app (owner for the owner's credential, - for wrong tokens).")
  @Nullable String app;

  @Option(names = "--since", paramLabel = "DATE", description = "At or after DATE (2026-11-26, an ISO instant, or 7d/24h ago).")
  @Nullable String since;

  @Override
  void run(Mnode m) throws Exception {
    if (!java.nio.file.Files.exists(m.home().keyFile())) {
      throw new CliException(
          Mnode.EXIT_FAILURE, "error", "not an mnode home: " + m.home().dir() + " (run `mnode init` first, or pass --home DIR)");
    }
    Optional<Instant> from = since == null ? Optional.empty() : Optional.of(Dates.parse(since, m.clock));
    List<AuditEntry> entries = AuditLog.read(m.home().dir(), Optional.ofNullable(app), from);
    if (m.json) {
      ArrayNode a = MemoryJson.MAPPER.createArrayNode();
      entries.forEach(e -> a.add(AuditLog.toJson(e)));
      m.printJson(a);
      return;
    }
    for (AuditEntry e : entries) {
      m.out.printf(
          Locale.ROOT, "%-24s %-16s %-9s %3d %6d  %s%n",
          e.time(), e.app(), e.operation(), e.status(), e.count(), String.join(",", e.classes()));
    }
    if (entries.isEmpty()) {
      m.err.println("no audit entries match");
    }
  }
}
