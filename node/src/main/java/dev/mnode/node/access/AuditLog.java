package dev.mnode.node.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The audit log, {@code HOME/audit.jsonl} (mode 0600), one JSON object per access, oldest first:
 *
 * <pre>
 * {"time": "2026-11-26T10:00:00.123Z", "app": "claude", "op": "recall", "classes": ["work"],
 *  "count": 3, "status": 200}
 * </pre>
 *
 * It never holds memory text, ids or queries: only who did what to which classes, and how much.
 * Retention is bounded twice: entries older than {@code retentionDays} and all but the newest
 * {@code maxEntries} are dropped when the node starts and whenever the file has grown by a tenth
 * beyond the bound (the file is rewritten and replaced atomically). A line that does not parse (a
 * write cut short by a crash) is skipped by readers.
 *
 * <p>Thread-safe: the node appends from its worker threads; the CLI reads at the same time.
 */
public final class AuditLog implements AutoCloseable {
  public static final String FILE = "audit.jsonl";

  private final Path file;
  private final Clock clock;
  private final Duration retention;
  private final int maxEntries;
  private final Consumer<String> warn;

  /** Guarded by {@code this}. */
  private @Nullable OutputStream out;

  private long lines;
  private boolean failed;

  private AuditLog(Path home, Clock clock, int retentionDays, int maxEntries, Consumer<String> warn) {
    this.file = home.resolve(FILE);
    this.clock = clock;
    this.retention = Duration.ofDays(retentionDays);
    this.maxEntries = maxEntries;
    this.warn = warn;
  }

  /**
   * Opens the log of {@code home} for appending, dropping what retention no longer allows first.
   * Failures to write later are reported once to {@code warn}; the node keeps answering.
   */
  public static AuditLog open(Path home, Clock clock, int retentionDays, int maxEntries, Consumer<String> warn)
      throws NodeException {
    AuditLog log = new AuditLog(home, clock, retentionDays, maxEntries, warn);
    synchronized (log) {
      try {
        log.prune();
      } catch (IOException e) {
        throw new NodeException("cannot open " + log.file + ": " + e.getMessage(), e);
      }
    }
    return log;
  }

  /** Appends one entry, stamped with the clock's time. Never throws. */
  public synchronized void record(String app, String operation, Set<String> classes, int count, int status) {
    AuditEntry e = new AuditEntry(clock.instant(), app, operation, new TreeSet<>(classes), count, status);
    try {
      if (out == null) {
        out = append();
      }
      out.write(MemoryJson.MAPPER.writeValueAsBytes(toJson(e)));
      out.write('\n');
      out.flush();
      lines++;
      if (lines > maxEntries + Math.max(100, maxEntries / 10)) {
        prune();
      }
    } catch (IOException ex) {
      if (!failed) {
        failed = true;
        warn.accept("cannot write the audit log " + file + ": " + ex.getMessage());
      }
    }
  }

  /**
   * Returns the entries of {@code home}'s log, oldest first, of app {@code app} when given, at or
   * after {@code since} when given.
   */
  public static List<AuditEntry> read(Path home, Optional<String> app, Optional<Instant> since) throws NodeException {
    Path file = home.resolve(FILE);
    List<AuditEntry> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        Optional<AuditEntry> e = parse(line);
        if (e.isPresent()
            && (app.isEmpty() || e.get().app().equals(app.get()))
            && (since.isEmpty() || !e.get().time().isBefore(since.get()))) {
          out.add(e.get());
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new NodeException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The JSON object of one entry, as in the file and in {@code mnode audit --json}. */
  public static ObjectNode toJson(AuditEntry e) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("time", e.time().toString());
    o.put("app", e.app());
    o.put("op", e.operation());
    ArrayNode classes = o.putArray("classes");
    e.classes().forEach(classes::add);
    o.put("count", e.count());
    o.put("status", e.status());
    return o;
  }

  @Override
  public synchronized void close() {
    closeOut();
  }

  private static Optional<AuditEntry> parse(String line) {
    try {
      JsonNode o = MemoryJson.MAPPER.readTree(line);
      TreeSet<String> classes = new TreeSet<>();
      o.path("classes").forEach(c -> classes.add(c.asText()));
      return Optional.of(
          new AuditEntry(
              Instant.parse(o.path("time").asText()), o.path("app").asText(), o.path("op").asText(), classes,
              o.path("count").asInt(), o.path("status").asInt()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Rewrites the file with only what retention allows. Holds the lock. */
  private void prune() throws IOException {
    closeOut();
    Instant oldest = clock.instant().minus(retention);
    Deque<String> kept = new ArrayDeque<>();
    boolean dropped = false;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        Optional<AuditEntry> e = parse(line);
        if (e.isEmpty() || e.get().time().isBefore(oldest)) {
          dropped = true;
          continue;
        }
        kept.addLast(line);
        if (kept.size() > maxEntries) {
          kept.removeFirst();
          dropped = true;
        }
      }
    } catch (NoSuchFileException e) {
      lines = 0;
      return;
    }
    lines = kept.size();
    if (dropped) {
      StringBuilder b = new StringBuilder();
      kept.forEach(l -> b.append(l).append('\n'));
      PrivateFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private OutputStream append() throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made meanwhile
      }
    }
    return Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  private void closeOut() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // nothing buffered: every record flushes
      }
      out = null;
    }
  }
}
