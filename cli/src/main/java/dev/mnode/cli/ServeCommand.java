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
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.peer.PeerNode;
import dev.mnode.node.peer.PeerOptions;
import dev.mnode.node.relay.RelayNode;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.multiformats.MultiformatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  @Option(
      names = "--listen",
      paramLabel = "MULTIADDR",
      description = {
        "libp2p address to sync with other devices on; repeatable.",
        "Default: /ip4/0.0.0.0/tcp/4737 and /ip6/::/tcp/4737. Tests use /ip4/127.0.0.1/tcp/0."
      })
  List<String> listen = new ArrayList<>();

  @Option(names = "--no-mdns", description = "Do not discover the vault's devices on the LAN (mDNS).")
  boolean noMdns;

  @Option(names = "--mdns-interface", paramLabel = "IF", description = "Network interface for mDNS (default: the first LAN one).")
  @Nullable String mdnsInterface;

  @Option(names = "--sync-interval", paramLabel = "SECONDS", defaultValue = "30", description = "Sync each peer at least this often (default: ${DEFAULT-VALUE}).")
  int syncInterval;

  @Option(names = "--relay-interval", paramLabel = "SECONDS", defaultValue = "60", description = "Sync with each relay of `mnode relay list` this often (default: ${DEFAULT-VALUE}).")
  int relayInterval;

  @Option(names = "--relay-after-write", paramLabel = "SECONDS", defaultValue = "5", description = "Sync with the relays this long after a local write (default: ${DEFAULT-VALUE}).")
  int relayAfterWrite;

  @Option(names = "--compact-interval", paramLabel = "SECONDS", defaultValue = "3600",
      description = "Make forgets final this often: a class with a forgotten memory gets a new key and older keys and bundles are erased (0: never; default: ${DEFAULT-VALUE}).")
  int compactInterval;

  @Override
  void run(Mnode m) throws Exception {
    if (port != null && (port < 0 || port > 65_535)) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--port must be 0..65535: " + port);
    }
    if (syncInterval < 1 || syncInterval > 86_400) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--sync-interval must be 1..86400 seconds: " + syncInterval);
    }
    if (relayInterval < 1 || relayInterval > 86_400 || relayAfterWrite < 0 || relayAfterWrite > 86_400) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input",
          "--relay-interval must be 1..86400 and --relay-after-write 0..86400 seconds: " + relayInterval + ", " + relayAfterWrite);
    }
    if (compactInterval < 0 || compactInterval > 7 * 86_400) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--compact-interval must be 0..604800 seconds: " + compactInterval);
    }
    List<Multiaddr> listenOn = new ArrayList<>();
    for (String l : listen.isEmpty() ? List.of("/ip4/0.0.0.0/tcp/" + PeerOptions.DEFAULT_PORT, "/ip6/::/tcp/" + PeerOptions.DEFAULT_PORT) : listen) {
      try {
        Multiaddr a = Multiaddr.parse(l);
        if (a.tcpPort().isEmpty() || a.host().isEmpty() || a.peerId().isPresent()) {
          throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--listen takes /ip4/HOST/tcp/PORT or /ip6/HOST/tcp/PORT: " + l);
        }
        listenOn.add(a);
      } catch (MultiformatException e) {
        throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--listen: not a multiaddr: " + e.getMessage());
      }
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
      String mdns = noMdns ? null : mdnsInterface != null ? mdnsInterface : PeerNode.defaultMdnsInterface().orElse(null);
      PeerOptions options = new PeerOptions(
          listenOn, List.of(), mdns == null ? null : dev.mnode.p2p.MdnsConfig.on(mdns), Duration.ofSeconds(syncInterval), Duration.ofMillis(50), Duration.ofSeconds(60));
      PeerNode peers = startPeers((LocalMemoryService) service, home, options, m, warn, listen.isEmpty());
      RelayNode relays = RelayNode.start((LocalMemoryService) service, home, m.env,
          Duration.ofSeconds(relayInterval), Duration.ofSeconds(relayAfterWrite), warn);
      ((LocalMemoryService) service).useRelayStatus(relays::statuses);
      dev.mnode.node.CompactionSchedule compaction = compactInterval == 0 ? null
          : dev.mnode.node.CompactionSchedule.start((LocalMemoryService) service, Duration.ofSeconds(compactInterval),
              sealed -> relays.changed(), warn);
      ApiServer server;
      try {
        server = HttpModule.start(service, home, config, m.clock, audit::record, warn);
      } catch (Exception e) {
        if (compaction != null) {
          compaction.close();
        }
        relays.close();
        peers.close();
        throw e;
      }
      try {
        String address = server.address().getAddress().getHostAddress();
        int bound = server.address().getPort();
        RunFile.write(home, address, bound);
        Runtime.getRuntime().addShutdownHook(hook);
        announce(m, address, bound, peers);
        try {
          stop.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // stopped by the caller: fall through and close
        }
      } finally {
        RunFile.delete(home);
        server.close();
        if (compaction != null) {
          compaction.close();
        }
        relays.close();
        peers.close();
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

  /**
   * Starts peer sync. With the default addresses, one that cannot be bound (no IPv6 here, or the
   * port taken by another home's node) is left out with a warning as long as another one binds.
   */
  private static PeerNode startPeers(
      LocalMemoryService service, Home home, PeerOptions options, Mnode m, java.util.function.Consumer<String> warn, boolean defaults)
      throws Exception {
    try {
      return PeerNode.start(service, home, options, m.clock, warn);
    } catch (dev.mnode.node.NodeException e) {
      if (!defaults) {
        throw e;
      }
      for (Multiaddr one : options.listen()) {
        try {
          PeerNode n = PeerNode.start(service, home,
              new PeerOptions(List.of(one), options.peers(), options.mdns(), options.interval(), options.debounce(), options.maxBackoff()),
              m.clock, warn);
          warn.accept(e.getMessage() + "; listening on " + one + " only");
          return n;
        } catch (dev.mnode.node.NodeException ignored) {
          // try the next
        }
      }
      throw e;
    }
  }

  private static void announce(Mnode m, String address, int port, PeerNode peers) {
    String host = address.contains(":") ? "[" + address + "]" : address;
    List<Multiaddr> addrs = peers.sync().listenAddresses();
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("url", "http://" + host + ":" + port);
      o.put("port", port);
      o.put("pid", ProcessHandle.current().pid());
      o.put("peer_id", peers.sync().peerId().toBase58());
      addrs.forEach(a -> o.withArray("p2p").add(a.toString()));
      m.printJson(o);
    } else {
      m.out.println("listening on http://" + host + ":" + port);
      addrs.forEach(a -> m.out.println("syncing on " + a));
    }
    m.out.flush();
  }
}
