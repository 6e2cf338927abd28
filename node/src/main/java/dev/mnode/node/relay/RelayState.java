package dev.mnode.node.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import dev.mnode.node.access.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this device remembers about one relay, in a file of its home sealed under the relay's state
 * key (so a copy of the home without the vault secret says nothing about the relay):
 *
 * <pre>
 * {"version": 1, "counter": N,                 next segment number this device writes
 *  "sent_seq": {class tag hex: seq},            own bundles of each class uploaded up to seq
 *  "sent": [sha-256 hex, ...],                  operations, prekeys and envelopes uploaded
 *  "processed": [blob name, ...],               blobs read and applied (or written) here
 *  "base": N,                                   oldest own segment number that may still be there
 *  "compactions": N,                            the replica's compaction count at the last rebase
 *  "bytes_since_base": N}                       bytes of the own segments written since then
 * </pre>
 *
 * Losing the file costs only work: the device uploads again under fresh counters (names already
 * taken are skipped) and downloads again; the replica ignores what it already has. A blob that was
 * rejected is not recorded, so a correct copy served later is still read. Confined to one thread.
 */
final class RelayState {
  static final int VERSION = 1;

  long counter;
  long base;
  long compactions;
  long bytesSinceBase;
  final Map<String, Long> sentSeq = new HashMap<>();
  final Set<String> sent = new HashSet<>();
  final Set<String> processed = new HashSet<>();
  private final Path file;
  private final String context;

  private RelayState(Path file, String context) {
    this.file = file;
    this.context = context;
  }

  /** Reads the state, or starts afresh if there is none (or it cannot be opened: it is only a cache). */
  static RelayState load(Path file, String context, RelayKeys keys, java.util.function.Consumer<String> warn) throws NodeException {
    RelayState s = new RelayState(file, context);
    if (!Files.exists(file)) {
      return s;
    }
    try {
      JsonNode o = MemoryJson.MAPPER.readTree(keys.openState(context, Files.readAllBytes(file)));
      if (o.path("version").asInt() != VERSION) {
        throw new IOException("state version " + o.path("version").asInt() + " is not supported");
      }
      s.counter = o.path("counter").asLong();
      s.base = o.path("base").asLong();
      s.compactions = o.path("compactions").asLong();
      s.bytesSinceBase = o.path("bytes_since_base").asLong();
      o.path("sent_seq").fields().forEachRemaining(e -> s.sentSeq.put(e.getKey(), e.getValue().asLong()));
      o.path("sent").forEach(n -> s.sent.add(n.asText()));
      o.path("processed").forEach(n -> s.processed.add(n.asText()));
      return s;
    } catch (IOException | GeneralSecurityException e) {
      warn.accept("relay state " + file.getFileName() + " is unreadable (" + e.getMessage() + "); starting afresh");
      return new RelayState(file, context);
    }
  }

  /** Writes the state (atomically, 0600). */
  void save(RelayKeys keys) throws NodeException {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("version", VERSION).put("counter", counter).put("base", base).put("compactions", compactions)
        .put("bytes_since_base", bytesSinceBase);
    ObjectNode seqs = o.putObject("sent_seq");
    new java.util.TreeMap<>(sentSeq).forEach(seqs::put);
    new TreeSet<>(sent).forEach(o.putArray("sent")::add);
    new TreeSet<>(processed).forEach(o.putArray("processed")::add);
    try {
      Files.createDirectories(file.getParent());
      PrivateFiles.write(file, keys.sealState(context, MemoryJson.MAPPER.writeValueAsBytes(o)));
    } catch (IOException e) {
      throw new NodeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
