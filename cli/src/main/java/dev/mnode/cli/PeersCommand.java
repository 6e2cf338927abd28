package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.peer.PeerList;
import dev.mnode.node.peer.PeerStatus;
import dev.mnode.node.peer.VaultJson;
import dev.mnode.p2p.Multiaddr;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "peers",
    description = "Show the peers the running node syncs with: address, online, last sync, pending bundles.",
    subcommands = {PeersCommand.Add.class, PeersCommand.Remove.class})
final class PeersCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) throws Exception {
    List<PeerStatus> peers;
    try (MemoryService svc = m.open()) {
      peers = svc.vault().peers();
    }
    List<Multiaddr> statics = PeerList.load(m.home());
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.set("peers", VaultJson.peers(peers));
      statics.forEach(a -> o.withArray("static").add(a.toString()));
      m.printJson(o);
      return;
    }
    for (PeerStatus p : peers) {
      m.out.printf(
          Locale.ROOT, "%-54s %-8s last sync %-14s pending %d%s%n", p.peerId(), p.online() ? "online" : "offline",
          p.lastSync() == null ? "never" : Dates.ago(p.lastSync(), m.clock.instant()), p.pending(),
          p.lastError() == null ? "" : "  (" + p.lastError() + ")");
    }
    if (peers.isEmpty()) {
      m.err.println(statics.isEmpty()
          ? "no peers; pair a device with `mnode pair`, or add one with `mnode peers add MULTIADDR`"
          : "no node runs in this home: start `mnode serve` to sync with " + statics.size() + " static peer(s)");
    }
  }

  /** Adds or removes a static peer in peers.json. */
  abstract static class Change extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "MULTIADDR")
    String addr;

    abstract boolean apply(dev.mnode.node.Home home, Multiaddr a) throws Exception;

    abstract String field();

    abstract String said(Multiaddr a, boolean changed);

    @Override
    void run(Mnode m) throws Exception {
      requireHome(m);
      Multiaddr a = PeerList.parse(addr);
      boolean changed = apply(m.home(), a);
      if (m.json) {
        m.printJson(MemoryJson.MAPPER.createObjectNode().put("addr", a.toString()).put(field(), changed));
      } else {
        m.out.println(said(a, changed));
      }
    }
  }

  @Command(name = "add", description = "Sync with the device at MULTIADDR (/ip4/HOST/tcp/PORT/p2p/ID); a running node picks it up at once.")
  static final class Add extends Change {
    @Override
    boolean apply(dev.mnode.node.Home home, Multiaddr a) throws Exception {
      return PeerList.add(home, a);
    }

    @Override
    String field() {
      return "added";
    }

    @Override
    String said(Multiaddr a, boolean changed) {
      return changed ? "added " + a : a + " was already there";
    }
  }

  @Command(name = "remove", description = "Stop dialing the device at MULTIADDR.")
  static final class Remove extends Change {
    @Override
    boolean apply(dev.mnode.node.Home home, Multiaddr a) throws Exception {
      return PeerList.remove(home, a);
    }

    @Override
    String field() {
      return "removed";
    }

    @Override
    String said(Multiaddr a, boolean changed) {
      return changed ? "removed " + a : a + " was not a static peer";
    }
  }

  static void requireHome(Mnode m) throws CliException {
    if (!java.nio.file.Files.exists(m.home().keyFile())) {
      throw new CliException(
          Mnode.EXIT_FAILURE, "error", "not an mnode home: " + m.home().dir() + " (run `mnode init` first, or pass --home DIR)");
    }
  }
}
