package dev.mnode.node.http;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.ServerConfig;
import dev.mnode.node.access.OwnerCredential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A real node for a test: a new home in a temporary directory (real RocksDB, the real embedder),
 * and the API on a free port of 127.0.0.1. Closing stops the server, then the store.
 */
final class LiveNode implements AutoCloseable {
  static final Argon2Params FAST = new Argon2Params(Argon2Params.MIN_MEMORY_KIB, 1, 1);

  final Home home;
  final MemoryService service;
  final ApiServer server;
  final String owner;
  final int port;

  LiveNode(Path dir) throws Exception {
    this(dir, null, AccessLog.NONE);
  }

  /** {@code config} is written to the home's config.json first when given. */
  LiveNode(Path dir, String config, AccessLog audit) throws Exception {
    home = new Home(dir.resolve("home"));
    NodeModule.init(home, null, FAST, Clock.systemUTC()).close();
    if (config != null) {
      Files.writeString(home.dir().resolve("config.json"), config);
    }
    service = NodeModule.open(home, dev.mnode.node.PassphraseSource.NONE, Clock.systemUTC());
    server = HttpModule.start(service, home, ServerConfig.of(home).withPort(0), Clock.systemUTC(), audit, w -> System.err.println("warning: " + w));
    owner = OwnerCredential.read(home.dir()).orElseThrow();
    port = server.address().getPort();
  }

  Raw.Response get(String path) throws IOException {
    return Raw.get(port, path, owner);
  }

  Raw.Response post(String path, String json) throws IOException {
    return Raw.call(port, "POST", path, owner, json);
  }

  Raw.Response call(String method, String path, String json) throws IOException {
    return Raw.call(port, method, path, owner, json);
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      service.close();
    }
  }
}
