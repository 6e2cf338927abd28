package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code HOME/node.json} (mode 0600): written by {@code mnode serve} once it listens, removed when
 * it stops, so that the CLI can find the node serving this home:
 *
 * <pre>
 * {"version": 1, "pid": 12345, "address": "127.0.0.1", "port": 7377}
 * </pre>
 *
 * A file left by a node that was killed is stale; readers check that the process lives and that
 * the port answers before trusting it. Stateless.
 */
public final class RunFile {
  public static final String FILE = "node.json";
  static final int VERSION = 1;

  private RunFile() {}

  /** Where a node listens. */
  public record Info(long pid, String address, int port) {}

  /** Records that this process serves {@code home} on {@code address}:{@code port}. */
  public static void write(Home home, String address, int port) throws NodeException {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    o.put("version", VERSION);
    o.put("pid", ProcessHandle.current().pid());
    o.put("address", address);
    o.put("port", port);
    Path file = home.dir().resolve(FILE);
    Path tmp = home.dir().resolve(FILE + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, MemoryJson.MAPPER.writeValueAsBytes(o));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new NodeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Removes the run file if this process wrote it. */
  public static void delete(Home home) {
    Optional<Info> info = read(home);
    if (info.isPresent() && info.get().pid() == ProcessHandle.current().pid()) {
      try {
        Files.deleteIfExists(home.dir().resolve(FILE));
      } catch (IOException e) {
        // A leftover file is detected as stale by the next reader.
      }
    }
  }

  /**
   * Returns what the run file says, if there is one, it parses, and the process it names lives.
   * Whether the port answers is for the caller to check.
   */
  public static Optional<Info> read(Home home) {
    try {
      JsonNode o = MemoryJson.MAPPER.readTree(Files.readAllBytes(home.dir().resolve(FILE)));
      if (o == null || o.path("version").asInt() != VERSION) {
        return Optional.empty();
      }
      long pid = o.path("pid").asLong();
      int port = o.path("port").asInt();
      String address = o.path("address").asText("");
      if (pid <= 0 || port <= 0 || port > 65_535 || address.isEmpty()) {
        return Optional.empty();
      }
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return Optional.of(new Info(pid, address, port));
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
