package dev.mnode.cli;

import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.DeviceIdentity;
import dev.mnode.crypto.PrekeyRing;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.Home;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.http.HttpModule;
import dev.mnode.node.pair.JoinRequest;
import dev.mnode.node.pair.PairingException;
import dev.mnode.node.pair.PairingInitiator;
import dev.mnode.node.pair.Welcome;
import dev.mnode.node.peer.PeerList;
import dev.mnode.node.peer.PeerNode;
import dev.mnode.node.peer.PeerOptions;
import dev.mnode.node.peer.PeerStatus;
import dev.mnode.node.peer.VaultAdmin;
import dev.mnode.node.peer.VaultJson;
import dev.mnode.p2p.DiscoveredPeer;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Mdns;
import dev.mnode.p2p.MdnsConfig;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.mdns.MdnsModule;
import dev.mnode.p2p.net.P2pModule;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "pair",
    description = {
      "Link a new device to this vault. On a member device (its node running), `mnode pair` prints a",
      "one-time code and waits; on the new device, `mnode pair --join CODE --addr MULTIADDR` joins",
      "with it and fetches the memories of the classes granted. The code works once, for --ttl, and",
      "three wrong tries close it."
    })
final class PairCommand extends Mnode.Sub {
  @Option(names = "--classes", paramLabel = "C,C", split = ",", description = "Classes the new device may hold (default: all of this device's).")
  List<String> classes = new ArrayList<>();

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10m", description = "How long the code lives: 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(names = "--join", paramLabel = "CODE", description = "Join the vault of the device showing CODE.")
  @Nullable String join;

  @Option(names = "--addr", paramLabel = "MULTIADDR", description = "The member's address as `mnode pair` printed it (found with mDNS on the LAN if left out).")
  @Nullable String addr;

  @Option(names = "--name", paramLabel = "NAME", description = "This device's name in the vault (default: the host name).")
  @Nullable String name;

  @Option(names = "--passphrase", description = "Protect the new home's key file with a passphrase (terminal or $MNODE_PASSPHRASE).")
  boolean passphrase;

  @Option(names = "--no-sync", description = "Join only; fetch the memories when `mnode serve` runs.")
  boolean noSync;

  /** How long the first sync after joining may take before the command leaves the rest to `mnode serve`. */
  static final Duration FIRST_SYNC = Duration.ofMinutes(30);

  @Override
  void run(Mnode m) throws Exception {
    if (join != null) {
      join(m, join);
    } else {
      if (addr != null || name != null || passphrase || noSync) {
        throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--addr, --name, --passphrase and --no-sync go with --join");
      }
      offer(m);
    }
  }

  private void offer(Mnode m) throws Exception {
    Duration life = duration(ttl);
    Optional<MemoryService> running = HttpModule.connect(m.home());
    if (running.isEmpty()) {
      throw new CliException(
          Mnode.EXIT_FAILURE, "error", "pairing needs the running node: start `mnode serve` in this home, then run `mnode pair` again");
    }
    try (MemoryService svc = running.get()) {
      VaultAdmin v = svc.vault();
      VaultAdmin.PairingTicket t = v.pair(classes, life);
      if (m.json) {
        m.printJson(VaultJson.ticket(t));
      } else {
        m.out.println("pairing code: " + t.code() + "   (valid until " + t.expires() + ", classes " + String.join(",", t.classes()) + ")");
        m.out.println("on the new device run:");
        m.out.println("  mnode pair --join " + t.code() + (t.addrs().isEmpty() ? "" : " --addr " + t.addrs().get(0)));
        if (t.addrs().size() > 1) {
          m.out.println("other addresses of this device:");
          t.addrs().subList(1, t.addrs().size()).forEach(a -> m.out.println("  " + a));
        }
        m.out.println("waiting...");
      }
      m.out.flush();
      Instant end = Instant.now().plus(life).plusSeconds(30);
      VaultAdmin.PairingOutcome o;
      do {
        o = v.pairResult(t.code(), Duration.ofSeconds(20));
      } while (o.status().equals("pending") && Instant.now().isBefore(end));
      if (m.json) {
        m.printJson(VaultJson.outcome(o));
      } else if (o.status().equals("paired")) {
        m.out.println("paired " + o.name() + " (" + o.device() + "), classes " + String.join(",", o.classes()));
      }
      if (!o.status().equals("paired")) {
        throw new CliException(Mnode.EXIT_FAILURE, "pairing_" + o.status(), "pairing " + o.status() + ": " + o.detail());
      }
    }
  }

  private void join(Mnode m, String code) throws Exception {
    Home home = m.home();
    Optional<MemoryService> running = HttpModule.connect(home);
    if (running.isPresent()) {
      joinThroughNode(m, running.get(), code);
      return;
    }
    if (Files.exists(home.keyFile()) || Files.exists(home.storeDir())) {
      throw new CliException(
          Mnode.EXIT_FAILURE, "error",
          home.dir() + " already holds a vault; join with a new --home (move memories over with `mnode export` and `mnode import`)");
    }
    String deviceName = name != null ? name : hostName();
    Multiaddr member = addr == null ? null : PeerList.parse(addr);
    char[] pass = null;
    if (passphrase) {
      pass = m.passphraseSource(home, true).get();
      if (pass == null || pass.length == 0) {
        throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--passphrase needs a terminal or $MNODE_PASSPHRASE");
      }
    }
    List<String> granted;
    String vaultHex;
    String device;
    try (DeviceIdentity id = DeviceIdentity.generate();
        Ed25519Identity p2pId = Ed25519Identity.fromSeed(id.seed().copy());
        Host host = P2pModule.newHost(p2pId, HostConfig.defaults());
        PrekeyRing ring = new PrekeyRing(id, m.clock, PrekeyRing.DEFAULT_ROTATION)) {
      device = p2pId.peerId().toBase58();
      JoinRequest request = new JoinRequest(deviceName, dev.mnode.crypto.Bytes.copyOf(ring.current().encode()));
      List<Multiaddr> candidates = member != null ? List.of(member) : discover(host);
      Welcome welcome = null;
      CliException last = null;
      for (Multiaddr c : candidates) {
        try {
          welcome = pairWith(host, c, code, request);
          member = c;
          break;
        } catch (CliException e) {
          last = e;
          if (!e.code().equals("pairing_no_offer") || candidates.size() == 1) {
            throw e;
          }
        }
      }
      if (welcome == null || member == null) {
        throw last != null ? last : new CliException(Mnode.EXIT_FAILURE, "error", "found no device with an open pairing on the LAN; give --addr");
      }
      try (Welcome w = welcome;
          SecretBytes seed = id.seed()) {
        granted = w.classes();
        vaultHex = HexFormat.of().formatHex(w.vaultId().toByteArray());
        List<byte[]> ops = w.membershipOps().stream().map(dev.mnode.crypto.Bytes::toByteArray).toList();
        try (MemoryService svc = NodeModule.join(home, pass, Argon2Params.DEFAULT, m.clock, x -> m.err.println("mnode: warning: " + x),
            seed, w.vaultId().toByteArray(), w.vaultSecret(), ops)) {
          PeerList.add(home, member);
          if (!m.json) {
            m.out.println("joined vault " + vaultHex + " as " + deviceName + " (" + device + "), classes " + String.join(",", granted));
          }
          if (!noSync) {
            firstSync(m, (LocalMemoryService) svc, home, member);
          }
        }
      }
    } finally {
      if (pass != null) {
        Arrays.fill(pass, '\0');
      }
    }
    if (m.json) {
      m.printJson(VaultJson.joined(new VaultAdmin.Joined(vaultHex, device, granted)));
    }
  }

  /** A node runs in this home: it pairs with its own identity and moves its (empty) store to the vault. */
  private void joinThroughNode(Mnode m, MemoryService node, String code) throws Exception {
    if (addr == null) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "with a node running in this home, give --addr as `mnode pair` printed it");
    }
    if (passphrase) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--passphrase makes a new home; this one exists and its node runs");
    }
    PeerList.parse(addr);
    VaultAdmin.Joined j;
    try (node) {
      try {
        j = node.vault().join(code, addr, name != null ? name : hostName());
      } catch (dev.mnode.node.InvalidInputException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        throw new CliException(Mnode.EXIT_FAILURE, msg.startsWith("pairing failed") ? "pairing_failed" : "invalid_input", msg);
      }
    }
    if (m.json) {
      m.printJson(VaultJson.joined(j));
    } else {
      m.out.println("joined vault " + j.vault() + " as " + j.device() + ", classes " + String.join(",", j.classes())
          + "; the node syncs with " + addr);
    }
  }

  private static Welcome pairWith(Host host, Multiaddr member, String code, JoinRequest request) throws CliException {
    try {
      return PairingInitiator.join(host, member, code, request);
    } catch (PairingException e) {
      String why = switch (e.reason()) {
        case MALFORMED_CODE -> "that is not a pairing code (a number and two words, like 7-apple-river)";
        case WRONG_CODE -> "the code does not match (or the connection was tampered with); check it, or ask for a new one";
        case NO_OFFER -> "the device has no open pairing: the code was used, expired or closed after wrong tries; run `mnode pair` there again";
        case REFUSED -> "the device refused to add this one: " + e.getMessage();
        default -> e.getMessage();
      };
      throw new CliException(
          e.reason() == PairingException.Reason.MALFORMED_CODE ? Mnode.EXIT_INVALID : Mnode.EXIT_FAILURE,
          "pairing_" + e.reason().name().toLowerCase(java.util.Locale.ROOT), "pairing failed: " + why);
    }
  }

  /** Finds the member on the LAN: every peer mDNS finds is asked; one without an open offer answers at once. */
  private static List<Multiaddr> discover(Host host) throws Exception {
    String iface = PeerNode.defaultMdnsInterface().orElseThrow(() -> new CliException(
        Mnode.EXIT_INVALID, "invalid_input", "no LAN interface to look for the device on; give --addr as `mnode pair` printed it"));
    List<DiscoveredPeer> found = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Mdns mdns = MdnsModule.start(MdnsConfig.on(iface).withAnnounce(false), host.peerId(), List::of, found::add)) {
      for (int i = 0; i < 50 && found.isEmpty(); i++) {
        Thread.sleep(100);
      }
      Thread.sleep(500);
    }
    List<Multiaddr> out = new ArrayList<>();
    for (DiscoveredPeer p : found) {
      for (Multiaddr a : p.addresses()) {
        Multiaddr full = a.peerId().isPresent() ? a : a.withPeerId(p.peerId());
        try {
          host.dial(full);
          out.add(full);
          break;
        } catch (Exception e) {
          // next address
        }
      }
    }
    if (out.isEmpty()) {
      throw new CliException(Mnode.EXIT_FAILURE, "error", "found no device on the LAN; give --addr as `mnode pair` printed it");
    }
    return out;
  }

  /** Fetches the vault's memories from the member once, showing progress on a terminal. */
  private static void firstSync(Mnode m, LocalMemoryService svc, Home home, Multiaddr member) throws Exception {
    PeerOptions o = new PeerOptions(
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(member), null, Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(10));
    try (PeerNode peers = PeerNode.start(svc, home, o, m.clock, w -> {})) {
      Instant end = Instant.now().plus(FIRST_SYNC);
      ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "bundles") : null;
      while (Instant.now().isBefore(end)) {
        List<PeerStatus> ps = peers.sync().status();
        PeerStatus p = ps.isEmpty() ? null : ps.get(0);
        if (bar != null && p != null) {
          bar.progress("first sync", p.received(), Math.max(p.received() + p.pending(), 1));
        }
        if (p != null && p.lastSync() != null) {
          break;
        }
        Thread.sleep(100);
      }
      if (bar != null) {
        bar.finish();
      }
      List<PeerStatus> ps = peers.sync().status();
      if (ps.isEmpty() || ps.get(0).lastSync() == null) {
        m.err.println("mnode: warning: the first sync did not finish" + (ps.isEmpty() || ps.get(0).lastError() == null ? "" : ": " + ps.get(0).lastError())
            + "; `mnode serve` will finish it");
      } else if (!m.json) {
        m.out.println("fetched " + ps.get(0).received() + " bundles from " + member);
      }
    }
  }

  static Duration duration(String s) throws CliException {
    java.util.regex.Matcher x = java.util.regex.Pattern.compile("(\\d{1,6})([smh])").matcher(s.strip());
    if (!x.matches()) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--ttl takes a duration like 90s, 10m or 1h: " + s);
    }
    long n = Long.parseLong(x.group(1));
    Duration d = switch (x.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--ttl must be between 1s and 1h: " + s);
    }
    return d;
  }

  private static String hostName() {
    try {
      String h = java.net.InetAddress.getLocalHost().getHostName();
      return h == null || h.isBlank() ? "new device" : h;
    } catch (java.io.IOException e) {
      return "new device";
    }
  }
}
