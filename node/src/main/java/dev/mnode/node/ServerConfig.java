package dev.mnode.node;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The settings of {@code mnode serve}: the {@code "server"} and {@code "audit"} sections of the
 * home's {@code config.json} ({@link NodeConfig}), validated when read.
 *
 * @param bind the address to listen on; loopback unless the user writes another one
 * @param port the TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes the largest request body accepted; larger is refused with 413
 * @param requestTimeoutSeconds how long a client may take to send one whole request, and how long
 *     an idle connection stays open
 * @param requestsPerMinute the steady rate each token may call at; beyond its burst, 429
 * @param burst how many calls a token may make at once before the rate applies
 * @param auditRetentionDays audit entries older than this are dropped
 * @param auditMaxEntries the audit log keeps at most this many entries, the newest
 */
public record ServerConfig(
    String bind,
    int port,
    int maxBodyBytes,
    int requestTimeoutSeconds,
    int requestsPerMinute,
    int burst,
    int auditRetentionDays,
    int auditMaxEntries) {
  public static final String LOOPBACK = "127.0.0.1";
  public static final int DEFAULT_PORT = 7377;
  public static final ServerConfig DEFAULTS =
      new ServerConfig(LOOPBACK, DEFAULT_PORT, 1 << 20, 10, 600, 60, 30, 100_000);

  public ServerConfig {
    if (bind.isBlank()) {
      throw new IllegalArgumentException("server.bind is empty");
    }
    check("server.port", port, 0, 65_535);
    check("server.max_body_bytes", maxBodyBytes, 1_024, 64 << 20);
    check("server.request_timeout_seconds", requestTimeoutSeconds, 1, 3_600);
    check("server.requests_per_minute", requestsPerMinute, 1, 1_000_000);
    check("server.burst", burst, 1, 1_000_000);
    check("audit.retention_days", auditRetentionDays, 1, 3_650);
    check("audit.max_entries", auditMaxEntries, 100, 100_000_000);
  }

  private static void check(String name, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + v);
    }
  }

  /** Returns these settings listening on {@code newPort} instead (the {@code --port} flag). */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        bind, newPort, maxBodyBytes, requestTimeoutSeconds, requestsPerMinute, burst, auditRetentionDays, auditMaxEntries);
  }

  /** Returns whether {@link #bind} is a loopback address (resolved without any name lookup). */
  public boolean loopback() {
    try {
      return InetAddress.getByName(literal()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The bind address as an IP literal; "localhost" means 127.0.0.1, other names are refused. */
  public String literal() {
    return bind.equals("localhost") ? LOOPBACK : bind;
  }

  /** Reads the server settings of {@code home}'s {@code config.json}, or the defaults. */
  public static ServerConfig of(Home home) throws NodeException {
    return NodeConfig.load(home.dir()).server();
  }
}
