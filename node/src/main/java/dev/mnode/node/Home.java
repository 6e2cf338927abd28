package dev.mnode.node;

import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A device's data directory (mode 0700):
 *
 * <pre>
 * HOME/
 *   master.key    device master key, mode 0600, optionally passphrase-protected
 *   master.key.next  its successor while a re-key runs (see AtRestKeys)
 *   store/        RocksDB memory store (sealed values), single-writer lock mnode.pid
 * </pre>
 *
 * Default {@code ~/.mnode}; {@code --home DIR} wins over {@code MNODE_HOME}, which wins over the
 * default.
 */
public record Home(Path dir) {
  public static final String ENV = "MNODE_HOME";

  public Home {
    dir = dir.toAbsolutePath().normalize();
  }

  /** Resolves the home from the command-line flag, then the environment, then the default. */
  public static Home resolve(@Nullable Path flag, Map<String, String> env) {
    if (flag != null) {
      return new Home(flag);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Home(Path.of(fromEnv));
    }
    return new Home(Path.of(System.getProperty("user.home"), ".mnode"));
  }

  public Path keyFile() {
    return dir.resolve("master.key");
  }

  /** The master key file's successor while the master key is rotated. */
  public Path nextKeyFile() {
    return dir.resolve("master.key.next");
  }

  public Path storeDir() {
    return dir.resolve("store");
  }
}
