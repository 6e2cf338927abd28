/**
 * libp2p on Netty: multiaddrs, peer ids, multistream-select, Noise, yamux, identify, ping, mDNS.
 *
 * <p>Built so far: libp2p identities and addressing. {@link dev.mnode.p2p.Ed25519Identity} is a
 * node's key pair and {@link dev.mnode.p2p.Ed25519PublicKey} a peer's key, both in the libp2p key
 * protobuf encoding; {@link dev.mnode.p2p.PeerId} names a peer (base58btc or CIDv1 text); {@link
 * dev.mnode.p2p.Multiaddr} is an address in text and binary form. The multiformats they rest on are
 * in {@code dev.mnode.p2p.multiformats}. Bad input fails with {@link
 * dev.mnode.p2p.multiformats.MultiformatException} only.
 *
 * <p>The network API: {@link dev.mnode.p2p.Host} (built by {@code dev.mnode.p2p.net.P2pModule}),
 * {@link dev.mnode.p2p.Connection}, {@link dev.mnode.p2p.P2pStream}, {@link
 * dev.mnode.p2p.StreamHandler}, {@link dev.mnode.p2p.ConnectionGate}, {@link
 * dev.mnode.p2p.HostConfig}; its failures are {@link dev.mnode.p2p.P2pException}.
 *
 * <p>Discovery: {@link dev.mnode.p2p.Mdns} (started by {@code dev.mnode.p2p.mdns.MdnsModule}),
 * {@link dev.mnode.p2p.MdnsConfig}, {@link dev.mnode.p2p.DiscoveredPeer}, {@link
 * dev.mnode.p2p.MdnsListener}.
 *
 * <p>Specs: libp2p/specs peer-ids/peer-ids.md, discovery/mdns.md; multiformats/multiaddr
 * (protocols.csv).
 */
@NullMarked
package dev.mnode.p2p;

import org.jspecify.annotations.NullMarked;
