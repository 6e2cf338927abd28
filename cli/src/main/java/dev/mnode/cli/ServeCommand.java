package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.ServerConfig;
import dev.mnode.node.access.AuditLog;
import dev.mnode.node.http.ApiServer;
import dev.mnode.node.http.HttpModule;
import dev.mnode.node.http.RunFile;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    description = {
      "Run the node: the local HTTP API on 127.0.0.1 (port 7377 unless --port or config.json says",
      "otherwise). It holds the store; while it runs, other mnode commands go through it. Stops on",
      "SIGTERM or Ctrl-C, finishing requests in progress."
    })
final class ServeCommand extends Mnode.Sub {
  /** How long a signal waits for the store to close before the process ends anyway. */
  private static final long STOP_SECONDS = 15;

  @Option(names = "--port", paramLabel = "N", description = "TCP port (0 picks a free one).")
  @Nullable Integer port;

  @Override
  void run(Mnode m) throws Exception {
    if (port != null && (port < 0 || port > 65_535)) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--port must be 0..65535: " + port);
    }
    Home home = m.home();
    ServerConfig config = ServerConfig.of(home);
    if (port != null) {
      config = config.withPort(port);
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(STOP_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "mnode-serve-stop");
    java.util.function.Consumer<String> warn = w -> m.err.println("mnode: warning: " + w);
    try (MemoryService service = m.openLocal();
        AuditLog audit = AuditLog.open(home.dir(), m.clock, config.auditRetentionDays(), config.auditMaxEntries(), warn)) {
      ApiServer server = HttpModule.start(service, home, config, m.clock, audit::record, warn);
      try {
        String address = server.address().getAddress().getHostAddress();
        int bound = server.address().getPort();
        RunFile.write(home, address, bound);
        Runtime.getRuntime().addShutdownHook(hook);
        announce(m, address, bound);
        try {
          stop.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // stopped by the caller: fall through and close
        }
      } finally {
        RunFile.delete(home);
        server.close();
      }
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // shutting down already, or never added
      }
    }
    if (!m.json) {
      m.err.println("mnode: stopped");
    }
  }

  private static void announce(Mnode m, String address, int port) {
    String host = address.contains(":") ? "[" + address + "]" : address;
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("url", "http://" + host + ":" + port);
      o.put("port", port);
      o.put("pid", ProcessHandle.current().pid());
      m.printJson(o);
    } else {
      m.out.println("listening on http://" + host + ":" + port);
    }
    m.out.flush();
  }
}
