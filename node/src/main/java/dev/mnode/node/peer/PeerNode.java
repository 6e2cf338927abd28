package dev.mnode.node.peer;

import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The node's side of the vault network, started by {@code mnode serve}: peer sync on the home's
 * replica, the static peers of {@code peers.json} (read again when the file changes) and pairing.
 * The service's vault admin answers with them from then on.
 */
public final class PeerNode implements AutoCloseable {
  private final PeerSync sync;
  private final Ed25519Identity identity;
  private final ScheduledExecutorService watcher;

  private PeerNode(PeerSync sync, Ed25519Identity identity, ScheduledExecutorService watcher) {
    this.sync = sync;
    this.identity = identity;
    this.watcher = watcher;
  }

  /** The interface mDNS should use: the first one up, not loopback, that supports multicast; empty if none. */
  public static Optional<String> defaultMdnsInterface() {
    try {
      for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (i.isUp() && !i.isLoopback() && i.supportsMulticast() && !i.isVirtual()
            && i.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address)) {
          return Optional.of(i.getName());
        }
      }
    } catch (SocketException e) {
      // no interfaces to look at: no discovery
    }
    return Optional.empty();
  }

  /**
   * Starts peer sync for {@code service}'s home.
   *
   * @throws NodeException if the replica cannot open or no listen address can be bound
   */
  public static PeerNode start(LocalMemoryService service, Home home, PeerOptions options, Clock clock, Consumer<String> warn)
      throws NodeException {
    Ed25519Identity id;
    try (SecretBytes seed = service.deviceSeed()) {
      id = Ed25519Identity.fromSeed(seed.copy());
    }
    List<Multiaddr> statics = new java.util.ArrayList<>(options.peers());
    statics.addAll(PeerList.load(home));
    PeerSync sync;
    try {
      sync = PeerSync.start(
          service.replica(), id,
          new PeerOptions(options.listen(), statics, options.mdns(), options.interval(), options.debounce(), options.maxBackoff()),
          clock, warn);
    } catch (P2pException e) {
      id.close();
      throw new NodeException("cannot listen for peers: " + e.getMessage() + " (choose another address with --listen)", e);
    }
    service.onWrite(sync::changed);
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mnode-peers-file");
      t.setDaemon(true);
      return t;
    });
    FileTime[] seen = {mtime(home)};
    watcher.scheduleWithFixedDelay(() -> {
      FileTime now = mtime(home);
      if (!now.equals(seen[0])) {
        seen[0] = now;
        try {
          PeerList.load(home).forEach(sync::addPeer);
        } catch (NodeException e) {
          warn.accept(e.getMessage());
        }
      }
    }, 1, 1, TimeUnit.SECONDS);
    NodePairings pairings = new NodePairings(service, sync, clock, warn);
    PeerNode node = new PeerNode(sync, id, watcher);
    service.useVaultAdmin(new LocalVaultAdmin(service, sync, pairings));
    return node;
  }

  /**
   * The addresses another device can dial: a wildcard listen address (0.0.0.0 or ::) becomes one
   * address per address of the interfaces that are up (loopback last).
   */
  public static List<Multiaddr> dialable(List<Multiaddr> listening) {
    List<Multiaddr> out = new java.util.ArrayList<>();
    List<Multiaddr> loop = new java.util.ArrayList<>();
    for (Multiaddr a : listening) {
      String text = a.toString();
      boolean v4 = text.startsWith("/ip4/0.0.0.0/");
      boolean v6 = text.startsWith("/ip6/::/");
      if (!v4 && !v6) {
        out.add(a);
        continue;
      }
      String rest = text.substring(v4 ? "/ip4/0.0.0.0".length() : "/ip6/::".length());
      try {
        for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (!i.isUp()) {
            continue;
          }
          for (java.net.InetAddress ip : Collections.list(i.getInetAddresses())) {
            if ((v4 && ip instanceof java.net.Inet4Address) || (v6 && ip instanceof java.net.Inet6Address && !ip.isLinkLocalAddress())) {
              String host = ip.getHostAddress();
              int pct = host.indexOf('%');
              host = pct < 0 ? host : host.substring(0, pct);
              Multiaddr m = Multiaddr.parse((v4 ? "/ip4/" : "/ip6/") + host + rest);
              (ip.isLoopbackAddress() ? loop : out).add(m);
            }
          }
        }
      } catch (SocketException | dev.mnode.p2p.multiformats.MultiformatException e) {
        out.add(a);
      }
    }
    out.addAll(loop);
    return out;
  }

  private static FileTime mtime(Home home) {
    try {
      return Files.exists(PeerList.file(home)) ? Files.getLastModifiedTime(PeerList.file(home)) : FileTime.fromMillis(0);
    } catch (java.io.IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  public PeerSync sync() {
    return sync;
  }

  @Override
  public void close() {
    watcher.shutdownNow();
    sync.close();
    identity.close();
  }
}
