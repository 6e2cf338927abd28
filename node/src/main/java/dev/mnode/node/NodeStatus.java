package dev.mnode.node;

import java.nio.file.Path;
import java.time.Instant;
import java.util.SortedMap;

/**
 * A summary of a home: where it is, its vault, this device's identity (its Ed25519 public key in
 * hex), schema, memory counts per class, size on disk, and the state digests: of every class this
 * device holds together ({@code digest}) and of each ({@code digests}), lowercase hex. Two devices
 * holding the same memories of a class show the same digest for it. {@code peers} is what the
 * running node knows of each peer (last sync, pending bundles), {@code relays} of each relay (its
 * last round); both empty when no node runs.
 */
public record NodeStatus(
    Path home,
    String vaultId,
    String deviceId,
    int schema,
    Instant created,
    long count,
    SortedMap<String, Long> classes,
    long diskBytes,
    boolean passphraseProtected,
    String digest,
    SortedMap<String, String> digests,
    java.util.List<dev.mnode.node.peer.PeerStatus> peers,
    java.util.List<dev.mnode.node.relay.RelayStatus> relays) {}
