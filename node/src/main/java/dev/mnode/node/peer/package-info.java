/**
 * Sync between the devices of a vault over libp2p: the {@code /mnode/sync/1.0.0} protocol ({@link
 * dev.mnode.node.peer.SyncRound}), the connection gate that admits members only, and the service
 * that keeps peers connected and up to date ({@link dev.mnode.node.peer.PeerSync}).
 */
@NullMarked
package dev.mnode.node.peer;

import org.jspecify.annotations.NullMarked;
