package dev.mnode.node.peer;

import dev.mnode.crypto.IdentityKey;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.NotFoundException;
import dev.mnode.node.sync.Replica;
import dev.mnode.node.sync.SyncException;
import dev.mnode.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link VaultAdmin} over the home's own replica, in the process that holds the store: the node
 * ({@code sync} and {@code pairing} set) or a command run while no node runs (no peers, no
 * pairing). Membership changes reach the other devices with the next sync.
 */
public final class LocalVaultAdmin implements VaultAdmin {
  private final LocalMemoryService service;
  private final @Nullable PeerSync sync;
  private final @Nullable Pairings pairing;

  public LocalVaultAdmin(LocalMemoryService service, @Nullable PeerSync sync, @Nullable Pairings pairing) {
    this.service = service;
    this.sync = sync;
    this.pairing = pairing;
  }

  @Override
  public List<DeviceInfo> devices() throws NodeException {
    Replica r = service.replica();
    Map<String, PeerStatus> peers = new HashMap<>();
    for (PeerStatus p : peers()) {
      peers.put(p.peerId(), p);
    }
    IdentityKey self = r.device();
    List<DeviceInfo> out = new ArrayList<>();
    for (Replica.Device d : r.devices()) {
      String id = PeerSync.peerId(d.key()).toBase58();
      PeerStatus p = peers.get(id);
      boolean isSelf = d.key().equals(self);
      Instant seen = p == null ? null : p.lastSeen();
      out.add(new DeviceInfo(id, d.name(), d.classes(), d.revoked(), isSelf, isSelf || (p != null && p.online()), seen));
    }
    out.sort(Comparator.comparing((DeviceInfo d) -> !d.self()).thenComparing(DeviceInfo::name).thenComparing(DeviceInfo::id));
    return out;
  }

  @Override
  public DeviceInfo grant(String device, List<String> classes) throws NodeException {
    DeviceInfo d = find(device);
    knownClasses(classes);
    change(() -> service.replica().grant(key(d), classes));
    return find(d.id());
  }

  @Override
  public DeviceInfo ungrant(String device, List<String> classes) throws NodeException {
    DeviceInfo d = find(device);
    if (d.self()) {
      throw new InvalidInputException("a device cannot take classes from itself; ungrant it from another device of the vault");
    }
    knownClasses(classes);
    change(() -> service.replica().ungrant(key(d), classes));
    return find(d.id());
  }

  @Override
  public DeviceInfo revoke(String device) throws NodeException {
    DeviceInfo d = find(device);
    if (d.self()) {
      throw new InvalidInputException("a device cannot revoke itself; revoke it from another device of the vault");
    }
    change(() -> service.replica().revoke(key(d)));
    return find(d.id());
  }

  @Override
  public DeviceInfo rename(String device, String name) throws NodeException {
    if (name.isBlank() || name.length() > 64) {
      throw new InvalidInputException("a device name has 1 to 64 characters");
    }
    DeviceInfo d = find(device);
    change(() -> service.replica().rename(key(d), name.strip()));
    return find(d.id());
  }

  @Override
  public List<PeerStatus> peers() {
    return sync == null ? List.of() : sync.status();
  }

  @Override
  public PairingTicket pair(List<String> classes, Duration ttl) throws NodeException {
    if (pairing == null) {
      throw new NodeException("pairing needs the running node: start `mnode serve` in this home first");
    }
    knownClasses(classes);
    List<String> held = service.replica().heldClasses();
    for (String c : classes) {
      if (!held.contains(c)) {
        throw new InvalidInputException("this device does not hold class " + c + ", so it cannot grant it");
      }
    }
    return pairing.open(classes.isEmpty() ? held : classes, ttl);
  }

  @Override
  public PairingOutcome pairResult(String code, Duration wait) throws NodeException {
    if (pairing == null) {
      throw new NodeException("pairing needs the running node: start `mnode serve` in this home first");
    }
    return pairing.await(code, wait);
  }

  @Override
  public Joined join(String code, String member, String name) throws NodeException {
    if (sync == null) {
      throw new NodeException("joining from a node needs the running node; without one, `mnode pair --join` makes a new home");
    }
    dev.mnode.p2p.Multiaddr addr = PeerList.parse(member);
    Replica r = service.replica();
    service.requireJoinable(); // before the pairing, so that the member's code is not used up for nothing
    dev.mnode.node.pair.JoinRequest request;
    try {
      request = new dev.mnode.node.pair.JoinRequest(name, dev.mnode.crypto.Bytes.copyOf(r.prekey().encode()));
    } catch (IllegalArgumentException | StoreException e) {
      throw new InvalidInputException(e.getMessage());
    }
    sync.admitWhileJoining(addr.peerId().orElseThrow());
    try (dev.mnode.node.pair.Welcome w = dev.mnode.node.pair.PairingInitiator.join(sync.host(), addr, code, request)) {
      List<byte[]> ops = w.membershipOps().stream().map(dev.mnode.crypto.Bytes::toByteArray).toList();
      Replica joined = service.adoptVault(w.vaultId().toByteArray(), w.vaultSecret(), ops);
      sync.useReplica(joined);
      PeerList.add(service.home(), addr);
      sync.addPeer(addr);
      return new Joined(java.util.HexFormat.of().formatHex(w.vaultId().toByteArray()), sync.peerId().toBase58(), w.classes());
    } catch (dev.mnode.node.pair.PairingException e) {
      throw new PairingFailed(e);
    } finally {
      sync.admitWhileJoining(null);
    }
  }

  /** Pairing failed on the joining side: the reason travels to the CLI as the error code. */
  public static final class PairingFailed extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    PairingFailed(dev.mnode.node.pair.PairingException e) {
      super("pairing failed: " + e.getMessage());
      this.reason = e.reason().name().toLowerCase(java.util.Locale.ROOT);
    }

    public String reason() {
      return reason;
    }
  }

  private interface Change {
    void run() throws NodeException, SyncException, StoreException;
  }

  private void change(Change c) throws NodeException {
    try {
      c.run();
    } catch (SyncException | IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    } catch (StoreException e) {
      throw new NodeException(e.getMessage(), e);
    }
    if (sync != null) {
      sync.refreshMembers(); // the gate follows a grant or revocation at once
      sync.changed();
    }
  }

  private void knownClasses(List<String> classes) throws NodeException {
    List<String> known = service.classes();
    for (String c : classes) {
      if (!known.contains(c)) {
        throw new InvalidInputException("unknown class " + c + " (known: " + String.join(", ", known) + ")");
      }
    }
  }

  private static IdentityKey key(DeviceInfo d) throws NodeException {
    try {
      return PeerSync.key(dev.mnode.p2p.PeerId.parse(d.id())).orElseThrow(() -> new NodeException("bad device id " + d.id()));
    } catch (dev.mnode.p2p.multiformats.MultiformatException e) {
      throw new NodeException("bad device id " + d.id(), e);
    }
  }

  /** The device named by its id, a unique id prefix (6+ characters) or a unique name. */
  private DeviceInfo find(String name) throws NodeException {
    List<DeviceInfo> all = devices();
    Optional<DeviceInfo> exact = all.stream().filter(d -> d.id().equals(name)).findFirst();
    if (exact.isPresent()) {
      return exact.get();
    }
    List<DeviceInfo> byPrefix = name.length() >= 6 ? all.stream().filter(d -> d.id().startsWith(name)).toList() : List.of();
    if (byPrefix.size() == 1) {
      return byPrefix.get(0);
    }
    List<DeviceInfo> byName = all.stream().filter(d -> d.name().equals(name) && !d.revoked()).toList();
    if (byName.size() == 1) {
      return byName.get(0);
    }
    if (byPrefix.size() > 1 || byName.size() > 1) {
      throw new InvalidInputException("\"" + name + "\" names more than one device; give its id");
    }
    throw NotFoundException.saying("no device \"" + name + "\" in this vault (see `mnode devices`)");
  }
}
