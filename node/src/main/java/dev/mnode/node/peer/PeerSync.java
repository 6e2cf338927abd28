package dev.mnode.node.peer;

import dev.mnode.crdt.VersionVector;
import dev.mnode.crypto.ClassTag;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.node.peer.SyncWire.SyncWireException;
import dev.mnode.node.sync.Replica;
import dev.mnode.p2p.Connection;
import dev.mnode.p2p.DiscoveredPeer;
import dev.mnode.p2p.Ed25519Identity;
import dev.mnode.p2p.Ed25519PublicKey;
import dev.mnode.p2p.Host;
import dev.mnode.p2p.HostConfig;
import dev.mnode.p2p.Mdns;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import dev.mnode.p2p.P2pStream;
import dev.mnode.p2p.PeerId;
import dev.mnode.p2p.StreamHandler;
import dev.mnode.p2p.mdns.MdnsModule;
import dev.mnode.p2p.multiformats.MultiformatException;
import dev.mnode.p2p.net.P2pModule;
import dev.mnode.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Keeps this device's replica in sync with the other members of its vault over libp2p.
 *
 * <ul>
 *   <li>The host's gate admits, right after the Noise handshake, only members not revoked (and,
 *       while a pairing is open, guests for {@code /mnode/pair/1.0.0}); the sync handler checks
 *       membership again on every stream.
 *   <li>Peers come from the static list, from mDNS on the LAN, and from members that dial in. A
 *       known peer is synced when it connects, {@link PeerOptions#debounce} after each local write
 *       ({@link #changed}), after another peer brought news, and every {@link
 *       PeerOptions#interval}. One round at a time per peer; a round asked for while one runs
 *       follows it.
 *   <li>A failed dial or round waits before the next: 1 s doubling up to {@link
 *       PeerOptions#maxBackoff}, with jitter. A peer breaking the protocol loses its connection;
 *       the node keeps serving the others.
 *   <li>Rounds resume from version vectors, so a cut connection or a crash loses nothing the
 *       store acknowledged.
 * </ul>
 */
public final class PeerSync implements AutoCloseable {
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private volatile Replica replica;
  private final Host host;
  private final PeerOptions options;
  private final Clock clock;
  private final Consumer<String> warn;
  private final Map<PeerId, Peer> peers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final ExecutorService rounds;
  private volatile Predicate<PeerId> guests = p -> false;
  private volatile @Nullable PeerId joining;
  /**
   * The members not revoked, as of the last refresh: the gate and the mDNS listener run on network
   * threads that must not wait for the replica's lock (held while a chunk of bundles is applied).
   */
  private volatile Set<IdentityKey> members = Set.of();
  private volatile @Nullable Mdns mdns;
  private volatile boolean closed;

  private PeerSync(Replica replica, Ed25519Identity identity, PeerOptions options, Clock clock, Consumer<String> warn) {
    this.replica = replica;
    this.options = options;
    this.clock = clock;
    this.warn = warn;
    this.host = P2pModule.newHost(identity, HostConfig.defaults().withGate((peer, addr, inbound) -> admits(peer)));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mnode-peers-timer"));
    this.rounds = Executors.newCachedThreadPool(r -> daemon(r, "mnode-peers-round"));
  }

  /**
   * Starts listening, serving {@code /mnode/sync/1.0.0}, discovering and dialing peers.
   *
   * @throws P2pException if a listen address cannot be bound (the node should not run half-way)
   */
  public static PeerSync start(
      Replica replica, Ed25519Identity identity, PeerOptions options, Clock clock, Consumer<String> warn)
      throws P2pException {
    PeerSync s = new PeerSync(replica, identity, options, clock, warn);
    s.refreshMembers();
    try {
      s.host.handle(SyncWire.PROTOCOL, s::serve);
      for (Multiaddr a : options.listen()) {
        s.host.listen(a);
      }
      for (Multiaddr a : options.peers()) {
        s.addPeer(a);
      }
      if (options.mdns() != null) {
        try {
          s.mdns = MdnsModule.start(options.mdns(), s.host.peerId(), s.host::listenAddresses, s::discovered);
        } catch (P2pException e) {
          warn.accept("LAN discovery is off: " + e.getMessage());
        }
      }
      long every = options.interval().toMillis();
      s.timer.scheduleWithFixedDelay(s::tick, every, every, TimeUnit.MILLISECONDS);
      s.tick();
      return s;
    } catch (P2pException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The libp2p host, for protocols beside sync (pairing). */
  public Host host() {
    return host;
  }

  /** This device's peer id. */
  public PeerId peerId() {
    return host.peerId();
  }

  /** The bound listen addresses, each ending in {@code /p2p/<our id>}. */
  public List<Multiaddr> listenAddresses() {
    return host.listenAddresses();
  }

  /** Admits peers {@code guests} accepts besides members (an open pairing); {@code p -> false} ends it. */
  public void admitGuests(Predicate<PeerId> guests) {
    this.guests = guests;
  }

  /**
   * Syncs {@code next} from now on: this device joined another vault. Every connection and known
   * peer of the old vault is dropped.
   */
  public void useReplica(Replica next) {
    this.replica = next;
    refreshMembers();
    peers.clear();
    for (Connection c : host.connections()) {
      c.close();
    }
  }

  /** Admits {@code member} (not yet a member of ours) while this device joins its vault; null ends it. */
  public void admitWhileJoining(@Nullable PeerId member) {
    this.joining = member;
  }

  /** A local write happened: sync every connected or known peer shortly. */
  public void changed() {
    if (closed) {
      return;
    }
    try {
      timer.schedule(() -> kickAll(null), options.debounce().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Adds a peer address (ending in {@code /p2p/<id>}) and syncs with it soon. */
  public void addPeer(Multiaddr address) {
    Optional<PeerId> id = address.peerId();
    if (id.isEmpty() || id.get().equals(host.peerId())) {
      return;
    }
    Peer p = peer(id.get());
    synchronized (p) {
      p.addresses.add(address.withoutPeerId());
      p.nextDial = Instant.MIN;
    }
    kick(p);
  }

  /** What this node knows of each peer, ordered by peer id. */
  public List<PeerStatus> status() {
    Set<PeerId> online = new java.util.HashSet<>();
    for (Connection c : host.connections()) {
      if (c.isOpen()) {
        online.add(c.remotePeer());
      }
    }
    List<PeerStatus> out = new ArrayList<>();
    Map<ClassTag, VersionVector> ours = replica.versionVectors();
    for (Peer p : peers.values()) {
      synchronized (p) {
        boolean on = online.contains(p.id);
        out.add(new PeerStatus(
            p.id.toBase58(), p.addresses.stream().map(Multiaddr::toString).sorted().toList(), on,
            on ? clock.instant() : p.lastSeen, p.lastSync, pending(ours, p.theirs), p.sent, p.received,
            p.lastError, p.bytesOut, p.bytesIn));
      }
    }
    out.sort(Comparator.comparing(PeerStatus::peerId));
    return out;
  }

  /** Bundles of ours a peer lacks by its last known version vectors (classes it holds only). */
  private static long pending(Map<ClassTag, VersionVector> ours, Map<ClassTag, VersionVector> theirs) {
    long n = 0;
    for (Map.Entry<ClassTag, VersionVector> e : theirs.entrySet()) {
      VersionVector mine = ours.get(e.getKey());
      if (mine == null) {
        continue;
      }
      for (Map.Entry<String, Long> a : mine.asMap().entrySet()) {
        n += Math.max(0, a.getValue() - e.getValue().get(a.getKey()));
      }
    }
    return n;
  }

  private boolean admits(PeerId peer) {
    if (closed) {
      return false;
    }
    Optional<IdentityKey> k = key(peer);
    return (k.isPresent() && members.contains(k.get())) || guests.test(peer) || peer.equals(joining);
  }

  static Optional<IdentityKey> key(PeerId peer) {
    try {
      return Optional.of(IdentityKey.of(peer.publicKey().bytes().toByteArray()));
    } catch (MultiformatException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The peer id of a device key. */
  public static PeerId peerId(IdentityKey device) {
    return Ed25519PublicKey.of(device.key().toByteArray()).toPeerId();
  }

  private Peer peer(PeerId id) {
    return peers.computeIfAbsent(id, Peer::new);
  }

  private void discovered(DiscoveredPeer d) {
    Optional<IdentityKey> k = key(d.peerId());
    if (k.isEmpty() || !members.contains(k.get())) {
      return; // another vault's node on the LAN
    }
    Peer p = peer(d.peerId());
    synchronized (p) {
      d.addresses().forEach(a -> p.addresses.add(a.withoutPeerId()));
    }
    kick(p);
  }

  /**
   * Reads the members again from the replica (off the network threads): after a membership
   * change made on this device (grant, revoke, pairing), rounds that brought operations, and
   * each periodic pass.
   */
  void refreshMembers() {
    Replica r = replica;
    Set<IdentityKey> now = new java.util.HashSet<>();
    for (Replica.Device d : r.devices()) {
      if (!d.revoked()) {
        now.add(d.key());
      }
    }
    members = Set.copyOf(now);
  }

  /** The periodic pass: every member peer we can reach or that is connected. */
  private void tick() {
    refreshMembers();
    for (Connection c : host.connections()) {
      Optional<IdentityKey> k = key(c.remotePeer());
      if (k.isPresent() && replica.admits(k.get())) {
        peer(c.remotePeer());
      } else if (c.isOpen() && !guests.test(c.remotePeer())) {
        c.close(); // revoked since it connected
      }
    }
    kickAll(null);
  }

  private void kickAll(@Nullable PeerId except) {
    for (Peer p : peers.values()) {
      if (!p.id.equals(except)) {
        kick(p);
      }
    }
  }

  private void kick(Peer p) {
    if (closed) {
      return;
    }
    synchronized (p) {
      if (p.running) {
        p.again = true;
        return;
      }
      p.running = true;
    }
    try {
      rounds.execute(() -> rounds(p));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      synchronized (p) {
        p.running = false;
      }
    }
  }

  private void rounds(Peer p) {
    try {
      for (int i = 0; i < 100 && !closed; i++) {
        synchronized (p) {
          p.again = false;
        }
        if (!round(p)) {
          return;
        }
        synchronized (p) {
          if (!p.again) {
            return;
          }
        }
      }
    } finally {
      synchronized (p) {
        p.running = false;
      }
    }
  }

  /** One round as initiator; false when the peer cannot be reached or the round failed. */
  private boolean round(Peer p) {
    Optional<IdentityKey> k = key(p.id);
    if (k.isEmpty() || !replica.admits(k.get())) {
      return false;
    }
    Connection c = connection(p);
    if (c == null) {
      return false;
    }
    try (P2pStream s = c.openStream(SyncWire.PROTOCOL)) {
      replica.ingest();
      SyncWire w = new SyncWire(s);
      SyncRound.Stats st = SyncRound.initiate(replica, w, k.get());
      done(p, st);
      return true;
    } catch (SyncWireException e) {
      failed(p, "broke the sync protocol: " + e.getMessage(), c);
    } catch (P2pException e) {
      failed(p, e.getMessage(), null);
    } catch (StoreException | RuntimeException e) {
      failed(p, "sync failed here: " + e.getMessage(), null);
    }
    return false;
  }

  /** An open connection to the peer, dialing its addresses when the backoff allows; null if none. */
  private @Nullable Connection connection(Peer p) {
    for (Connection c : host.connections()) {
      if (c.isOpen() && c.remotePeer().equals(p.id)) {
        return c;
      }
    }
    List<Multiaddr> addrs;
    synchronized (p) {
      Instant now = clock.instant();
      if (p.addresses.isEmpty()) {
        return null;
      }
      if (now.isBefore(p.nextDial)) {
        retryAt(p, p.nextDial);
        return null;
      }
      addrs = List.copyOf(p.addresses);
    }
    String error = "no address";
    for (Multiaddr a : addrs) {
      try {
        return host.dial(a.withPeerId(p.id));
      } catch (P2pException | IllegalArgumentException e) {
        error = e.getMessage();
      }
    }
    failed(p, "cannot reach it: " + error, null);
    return null;
  }

  private void done(Peer p, SyncRound.Stats st) {
    synchronized (p) {
      p.lastSync = clock.instant();
      p.lastSeen = p.lastSync;
      p.failures = 0;
      p.nextDial = Instant.MIN;
      p.lastError = null;
      p.sent += st.bundlesOut();
      p.received += st.bundlesIn();
      p.bytesIn += st.bytesIn();
      p.bytesOut += st.bytesOut();
      p.theirs = st.theirs();
    }
    if (st.refused() > 0) {
      warn.accept("peer " + p.id + " sent " + st.refused() + " bundles or envelopes that were refused");
    }
    if (st.opsIn() > 0 || st.opsOut() > 0) {
      refreshMembers();
    }
    if (st.applied() > 0 || st.opsIn() > 0 || st.envelopesIn() > 0) {
      kickAll(p.id); // pass the news on
    }
  }

  private void failed(Peer p, String error, @Nullable Connection breaker) {
    if (breaker != null) {
      breaker.close();
      warn.accept("closed the connection to " + p.id + ": it " + error);
    }
    Instant at;
    synchronized (p) {
      p.failures++;
      p.lastError = error;
      long base = FIRST_BACKOFF.toMillis() << Math.min(p.failures - 1, 16);
      long wait = Math.min(base, options.maxBackoff().toMillis());
      wait += ThreadLocalRandom.current().nextLong(wait / 4 + 1);
      at = clock.instant().plusMillis(wait);
      p.nextDial = at;
    }
    retryAt(p, at);
  }

  private void retryAt(Peer p, Instant at) {
    if (closed) {
      return;
    }
    long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
    try {
      timer.schedule(() -> kick(p), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Serves a round a peer started. */
  private void serve(P2pStream stream) throws Exception {
    PeerId id = stream.remotePeer();
    Optional<IdentityKey> k = key(id);
    if (k.isEmpty() || !replica.admits(k.get())) {
      stream.reset();
      return;
    }
    Peer p = peer(id);
    SyncWire w = new SyncWire(stream);
    try {
      SyncRound.Stats st = SyncRound.respond(replica, w, k.get());
      done(p, st);
      learnAddresses(p);
    } catch (SyncWireException e) {
      stream.reset();
      for (Connection c : host.connections()) {
        if (c.remotePeer().equals(id)) {
          failed(p, "broke the sync protocol: " + e.getMessage(), c);
        }
      }
    }
  }

  /**
   * For a peer that dialed in and whose address this node does not know, asks it with identify
   * where it listens, so that it can be dialed back later. A wildcard listen address (0.0.0.0 or
   * ::) becomes the address the connection came from, with the listen port.
   */
  private void learnAddresses(Peer p) {
    synchronized (p) {
      if (!p.addresses.isEmpty() || p.identified) {
        return;
      }
      p.identified = true;
    }
    for (Connection c : host.connections()) {
      if (!c.isOpen() || !c.remotePeer().equals(p.id)) {
        continue;
      }
      try {
        String[] from = c.remoteAddress().toString().split("/");
        List<Multiaddr> learnt = new ArrayList<>();
        for (Multiaddr a : c.identify().listenAddrs()) {
          String[] parts = a.withoutPeerId().toString().split("/");
          if (parts.length != 5 || !parts[3].equals("tcp")) {
            continue;
          }
          boolean wildcard = parts[2].equals("0.0.0.0") || parts[2].equals("::");
          if (wildcard && (from.length < 3 || !from[1].equals(parts[1]))) {
            continue;
          }
          learnt.add(Multiaddr.parse("/" + parts[1] + "/" + (wildcard ? from[2] : parts[2]) + "/tcp/" + parts[4]));
        }
        synchronized (p) {
          p.addresses.addAll(learnt);
        }
      } catch (P2pException | MultiformatException | RuntimeException e) {
        // not fatal: the peer can still dial us
      }
      return;
    }
  }

  @Override
  public void close() {
    closed = true;
    Mdns m = mdns;
    if (m != null) {
      m.close();
    }
    timer.shutdownNow();
    rounds.shutdownNow();
    host.close();
    try {
      rounds.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One peer's state; guarded by its own monitor. */
  private static final class Peer {
    final PeerId id;
    final Set<Multiaddr> addresses = new LinkedHashSet<>();
    boolean running;
    boolean again;
    int failures;
    Instant nextDial = Instant.MIN;
    @Nullable Instant lastSeen;
    @Nullable Instant lastSync;
    @Nullable String lastError;
    long sent;
    long received;
    long bytesIn;
    long bytesOut;
    boolean identified;
    Map<ClassTag, VersionVector> theirs = Map.of();

    Peer(PeerId id) {
      this.id = id;
    }
  }
}
