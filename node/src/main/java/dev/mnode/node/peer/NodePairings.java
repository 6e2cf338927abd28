package dev.mnode.node.peer;

import dev.mnode.crypto.Bytes;
import dev.mnode.crypto.IdentityKey;
import dev.mnode.crypto.SecretBytes;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.pair.JoinRequest;
import dev.mnode.node.pair.PairingException;
import dev.mnode.node.pair.PairingOffer;
import dev.mnode.node.pair.PairingOutcome;
import dev.mnode.node.pair.PairingResponder;
import dev.mnode.node.pair.Welcome;
import dev.mnode.node.sync.Replica;
import dev.mnode.p2p.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The member's side of pairing in the running node: one open offer at a time, answered on {@code
 * /mnode/pair/1.0.0} by a {@link PairingResponder}. While an offer is open, the connection gate
 * also admits guests (any authenticated peer), who may speak only the pair protocol: the sync
 * handler still checks membership on every stream. A device that proves the code is added to the
 * membership log with the offer's classes and sent the vault id, the vault secret and the
 * membership operations; its keys follow at its first sync, sealed to the prekey it shows then
 * (the prekey in its join request belongs to no store yet and is not used).
 */
final class NodePairings implements Pairings {
  private final LocalMemoryService service;
  private final PeerSync sync;
  private final PairingResponder responder;
  private final Consumer<String> warn;

  NodePairings(LocalMemoryService service, PeerSync sync, Clock clock, Consumer<String> warn) {
    this.service = service;
    this.sync = sync;
    this.warn = warn;
    this.responder = new PairingResponder(sync.host(), this::admit, clock, (peer, outcome) -> {
      if (outcome instanceof PairingOutcome.Failure f) {
        warn.accept("pairing attempt from " + peer + " failed: " + f.message());
      }
    });
    sync.host().handle(PairingResponder.PROTOCOL, responder);
  }

  @Override
  public VaultAdmin.PairingTicket open(List<String> classes, Duration ttl) throws NodeException {
    PairingOffer offer;
    try {
      offer = responder.open(classes, ttl);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
    sync.admitGuests(p -> offer.isOpen());
    offer.outcome().whenComplete((o, e) -> sync.admitGuests(p -> false));
    List<String> addrs = PeerNode.dialable(sync.listenAddresses()).stream().map(Object::toString).toList();
    return new VaultAdmin.PairingTicket(offer.code().text(), addrs, offer.classes(), offer.expiresAt());
  }

  @Override
  public VaultAdmin.PairingOutcome await(String code, Duration wait) throws NodeException {
    Optional<PairingOffer> current = responder.current();
    if (current.isEmpty() || !current.get().code().text().equals(code)) {
      return new VaultAdmin.PairingOutcome("closed", "no pairing with this code is open on this node", "", "", List.of());
    }
    PairingOffer offer = current.get();
    Optional<PairingOutcome> o;
    try {
      o = offer.awaitOutcome(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeException("interrupted while waiting for the pairing", e);
    }
    if (o.isEmpty()) {
      return new VaultAdmin.PairingOutcome("pending", "waiting for the new device", "", "", offer.classes());
    }
    if (o.get() instanceof PairingOutcome.Success s) {
      return new VaultAdmin.PairingOutcome("paired", "paired", s.joiner().toBase58(), s.deviceName(), s.classes());
    }
    PairingOutcome.Failure f = (PairingOutcome.Failure) o.get();
    String status = f.reason() == PairingException.Reason.EXPIRED ? "expired"
        : f.reason() == PairingException.Reason.CANCELLED ? "closed" : "failed";
    return new VaultAdmin.PairingOutcome(status, f.message(), "", "", offer.classes());
  }

  /** Adds the device that proved the code and returns its welcome. */
  private Welcome admit(PeerId joiner, JoinRequest request, List<String> classes) throws Exception {
    IdentityKey key = PeerSync.key(joiner).orElseThrow(() -> new IllegalArgumentException("the joiner's peer id carries no Ed25519 key"));
    Replica r = service.replica();
    if (r.device(key).isPresent()) {
      throw new IllegalStateException("that device is already in the vault");
    }
    r.addDevice(key, request.deviceName(), classes);
    sync.refreshMembers(); // the gate admits it from now on, before the first sync it is about to start
    sync.changed();
    List<Bytes> ops = r.operationsFor(List.of()).stream().map(Bytes::copyOf).toList();
    SecretBytes vaultSecret = service.vaultSecretForPairing();
    warn.accept("paired " + request.deviceName() + " (" + joiner + ") with classes " + String.join(",", classes));
    return new Welcome(r.vault(), vaultSecret, classes, ops, List.of());
  }
}
