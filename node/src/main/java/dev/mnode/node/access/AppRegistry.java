package dev.mnode.node.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The apps allowed to use the node, in {@code HOME/apps.json} (mode 0600):
 *
 * <pre>
 * {"format": "mnode-apps", "version": 1, "apps": [
 *   {"name": "claude", "classes": ["work"], "ops": ["read", "write"],
 *    "created": "2026-11-26T10:00:00Z", "sha256": "9f86d0...(64 hex)"}]}
 * </pre>
 *
 * Only the SHA-256 of each token is kept: the token itself is shown once, when the app is added.
 * The CLI changes the file (under a lock, replacing it atomically) whether or not a node runs; a
 * running node notices the change at its next request, so a revoked token stops working at once.
 *
 * <p>Thread-safe.
 */
public final class AppRegistry {
  static final String FILE = "apps.json";
  static final String FORMAT = "mnode-apps";
  static final int VERSION = 1;
  /** Most apps one home holds. */
  public static final int MAX_APPS = 1_000;

  private final Path file;
  private final Path lockFile;

  /** Guarded by {@code this}: the entries last read and the file state they came from. */
  private List<Entry> cached = List.of();

  private @Nullable Object cachedState;

  /** One app and the hash of its token. */
  private record Entry(App app, byte[] hash) {}

  private AppRegistry(Path home) {
    this.file = home.resolve(FILE);
    this.lockFile = home.resolve(FILE + ".lock");
  }

  /** The registry of the home in directory {@code home}; reads nothing yet. */
  public static AppRegistry of(Path home) {
    return new AppRegistry(home);
  }

  /**
   * Adds an app and returns its new token, which is stored nowhere: the caller shows it once.
   *
   * @throws InvalidInputException if the name, classes or ops are invalid or the name is taken
   */
  public String add(String name, Set<String> classes, Set<Op> ops, Instant now) throws NodeException {
    App app = valid(() -> new App(name, new TreeSet<>(classes), ops, now));
    String token = Tokens.generate();
    locked(
        () -> {
          List<Entry> all = new ArrayList<>(read());
          if (all.stream().anyMatch(e -> e.app().name().equals(name))) {
            throw new InvalidInputException(
                "an app named \"" + name + "\" exists; revoke it first (mnode apps revoke " + name + ")");
          }
          if (all.size() >= MAX_APPS) {
            throw new InvalidInputException("this home already has " + MAX_APPS + " apps");
          }
          all.add(new Entry(app, Tokens.hash(token)));
          write(all);
          return null;
        });
    return token;
  }

  /** Removes app {@code name}; its token stops working. Returns false when there was none. */
  public boolean revoke(String name) throws NodeException {
    return locked(
        () -> {
          List<Entry> all = new ArrayList<>(read());
          boolean removed = all.removeIf(e -> e.app().name().equals(name));
          if (removed) {
            write(all);
          }
          return removed;
        });
  }

  /** Returns the apps in name order. */
  public List<App> list() throws NodeException {
    return current().stream().map(Entry::app).sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  /**
   * Returns the app whose token is {@code token}. Compares the token's hash with every app's in
   * constant time, and looks at all of them whatever matches, so timing tells nothing.
   */
  public Optional<App> authenticate(String token) throws NodeException {
    if (token.length() > Tokens.MAX_LENGTH) {
      return Optional.empty();
    }
    byte[] h = Tokens.hash(token);
    App found = null;
    for (Entry e : current()) {
      if (Tokens.same(h, e.hash()) && found == null) {
        found = e.app();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The entries, read again only when the file changed since the last read. */
  private synchronized List<Entry> current() throws NodeException {
    Object state;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      state = List.of(a.lastModifiedTime(), a.size(), Objects.toString(a.fileKey()));
    } catch (NoSuchFileException e) {
      state = "absent";
    } catch (IOException e) {
      throw new NodeException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!state.equals(cachedState)) {
      cached = read();
      cachedState = state;
    }
    return cached;
  }

  private List<Entry> read() throws NodeException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new NodeException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonNode root = MemoryJson.MAPPER.readTree(bytes);
      if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
        throw new NodeException(file + ": not an mnode apps file of version " + VERSION);
      }
      List<Entry> out = new ArrayList<>();
      for (JsonNode n : root.path("apps")) {
        TreeSet<String> classes = new TreeSet<>();
        n.path("classes").forEach(c -> classes.add(c.asText()));
        Set<Op> ops = new java.util.HashSet<>();
        for (JsonNode o : n.path("ops")) {
          ops.add(Op.parse(o.asText()));
        }
        byte[] hash = HexFormat.of().parseHex(n.path("sha256").asText());
        if (hash.length != 32) {
          throw new IllegalArgumentException("sha256 must be 64 hex digits");
        }
        out.add(new Entry(new App(n.path("name").asText(), classes, ops, Instant.parse(n.path("created").asText())), hash));
      }
      return List.copyOf(out);
    } catch (IOException | RuntimeException e) {
      throw new NodeException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  private void write(List<Entry> all) throws NodeException {
    ObjectNode root = MemoryJson.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ArrayNode apps = root.putArray("apps");
    for (Entry e : all) {
      ObjectNode o = apps.addObject();
      o.put("name", e.app().name());
      e.app().classes().forEach(o.putArray("classes")::add);
      ArrayNode ops = o.putArray("ops");
      e.app().ops().stream().sorted().forEach(op -> ops.add(op.wire()));
      o.put("created", e.app().created().toString());
      o.put("sha256", HexFormat.of().formatHex(e.hash()));
    }
    try {
      PrivateFiles.write(file, MemoryJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new NodeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code body} holding the home's apps lock, so that two CLIs never lose each other's change. */
  private <T> T locked(Body<T> body) throws NodeException {
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      return body.run();
    } catch (IOException e) {
      throw new NodeException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private interface Body<T> {
    T run() throws NodeException;
  }

  private static <T> T valid(Supplier<T> build) throws InvalidInputException {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
  }
}
