package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.ImportSummary;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeStatus;
import dev.mnode.node.RecallHit;
import dev.mnode.store.Memory;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How results look, for people and for {@code --json}. Stateless. */
final class Render {
  private static final int LINE_TEXT = 72;

  private Render() {}

  static void memory(PrintStream out, Memory m) {
    row(out, "id", m.id().toString());
    row(out, "class", m.memoryClass().name());
    row(out, "text", m.text());
    row(out, "tags", String.join(", ", m.tags()));
    row(out, "importance", Double.toString(m.importance()));
    row(out, "source", m.source());
    row(out, "created", m.created().toString());
    row(out, "updated", m.updated().toString());
    row(out, "pinned", m.pinned() ? "yes" : "no");
    row(
        out,
        "metadata",
        m.metadata().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", ")));
    row(out, "links", m.links().stream().map(Object::toString).collect(Collectors.joining(", ")));
  }

  static void memoryLine(PrintStream out, Memory m) {
    String text = m.text().strip().replaceAll("\\s+", " ");
    if (text.length() > LINE_TEXT) {
      text = text.substring(0, LINE_TEXT - 3) + "...";
    }
    out.printf(
        Locale.ROOT,
        "%s  %-9s %s %s %s%n",
        m.id(),
        m.memoryClass().name(),
        m.created().toString().substring(0, 10),
        m.pinned() ? "*" : " ",
        text);
  }

  static ArrayNode memories(List<Memory> ms) {
    ArrayNode a = MemoryJson.MAPPER.createArrayNode();
    ms.forEach(m -> a.add(MemoryJson.toJson(m)));
    return a;
  }

  static ArrayNode recall(List<RecallHit> hits, boolean explain) {
    ArrayNode a = MemoryJson.MAPPER.createArrayNode();
    for (RecallHit h : hits) {
      ObjectNode o = MemoryJson.toJson(h.memory());
      o.put("score", round(h.score()));
      if (explain) {
        ObjectNode e = o.putObject("explain");
        e.put("fused", round(h.fused()));
        if (h.vectorRank() > 0) {
          e.put("vector_rank", h.vectorRank());
        } else {
          e.putNull("vector_rank");
        }
        e.put("vector_score", round(h.vectorScore()));
        if (h.textRank() > 0) {
          e.put("text_rank", h.textRank());
        } else {
          e.putNull("text_rank");
        }
        e.put("text_score", round(h.textScore()));
        e.put("recency", round(h.recency()));
        e.put("importance", h.importance());
        e.put("pinned", h.memory().pinned());
      }
      a.add(o);
    }
    return a;
  }

  static void recallText(PrintStream out, List<RecallHit> hits, boolean explain) {
    int rank = 0;
    for (RecallHit h : hits) {
      Memory m = h.memory();
      String text = m.text().strip().replaceAll("\\s+", " ");
      if (text.length() > LINE_TEXT) {
        text = text.substring(0, LINE_TEXT - 3) + "...";
      }
      out.printf(Locale.ROOT, "%2d. %.4f  %-9s %s %s%n", ++rank, h.score(), m.memoryClass().name(), m.pinned() ? "*" : " ", text);
      out.printf(Locale.ROOT, "    %s%s%n", m.id(), m.tags().isEmpty() ? "" : "  #" + String.join(" #", m.tags()));
      if (explain) {
        out.printf(
            Locale.ROOT,
            "    meaning %s (%.2f), words %s (%.2f) -> fused %.3f; x recency %.2f, importance %.2f%s%n",
            h.vectorRank() > 0 ? "#" + h.vectorRank() : "-",
            h.vectorScore(),
            h.textRank() > 0 ? "#" + h.textRank() : "-",
            h.textScore(),
            h.fused(),
            h.recency(),
            h.importance(),
            m.pinned() ? ", pinned" : "");
      }
    }
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  static ObjectNode status(NodeStatus s) {
    return MemoryJson.status(s);
  }

  static void statusText(PrintStream out, NodeStatus s) {
    row(out, "home", s.home().toString());
    row(out, "vault", s.vaultId());
    row(out, "device", s.deviceId());
    row(out, "schema", Integer.toString(s.schema()));
    row(out, "memories", String.format(Locale.ROOT, "%,d", s.count()));
    s.classes().forEach((c, n) -> row(out, "  " + c, String.format(Locale.ROOT, "%,d", n)));
    row(out, "on disk", String.format(Locale.ROOT, "%,.1f MiB", s.diskBytes() / 1048576.0));
    row(out, "key file", s.passphraseProtected() ? "passphrase-protected" : "0600, no passphrase");
    row(out, "digest", s.digest());
    for (dev.mnode.node.relay.RelayStatus r : s.relays()) {
      String how = r.lastRound() == null ? "no round yet"
          : r.lastError() != null ? "last round failed at " + r.lastRound() + ": " + r.lastError()
          : String.format(Locale.ROOT, "last round %s: %d blob(s) listed, %d up, %d down, %d deleted%s", r.lastRound(),
              r.listed(), r.uploaded(), r.downloaded(), r.deleted(), r.rejected() == 0 ? "" : ", " + r.rejected() + " rejected");
      row(out, "relay", r.uri() + ": " + how);
    }
  }

  static ObjectNode importSummary(ImportSummary s) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("imported", s.imported());
    o.put("skipped", s.skipped());
    ObjectNode reasons = o.putObject("skipped_reasons");
    s.skippedReasons().forEach(reasons::put);
    o.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
    return o;
  }

  static void importSummaryText(PrintStream out, ImportSummary s) {
    out.printf(
        Locale.ROOT,
        "imported %,d memories, skipped %,d, in %.2f s (%,.0f/s)%n",
        s.imported(),
        s.skipped(),
        s.seconds(),
        s.imported() / Math.max(s.seconds(), 1e-3));
    s.skippedReasons().forEach((r, n) -> out.printf(Locale.ROOT, "  skipped %,d: %s%n", n, r));
  }

  private static void row(PrintStream out, String label, String value) {
    out.printf(Locale.ROOT, "%-13s %s%n", label + ":", value);
  }
}
