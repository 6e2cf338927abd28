/**
 * Device pairing over the libp2p protocol {@code /mnode/pair/1.0.0}: a member of a vault makes a
 * one-time {@link dev.mnode.node.pair.PairingCode} ({@link dev.mnode.node.pair.PairingResponder}
 * holds the {@link dev.mnode.node.pair.PairingOffer}); the new device types it and runs {@link
 * dev.mnode.node.pair.PairingInitiator#join}. Both run the PAKE of {@code
 * dev.mnode.crypto.PairingPake} bound to the Noise handshake hash of their connection, then the
 * joiner sends its {@link dev.mnode.node.pair.JoinRequest} and the member answers with a sealed
 * {@link dev.mnode.node.pair.Welcome}. The wire format is drawn in {@code PairingWire}.
 */
@NullMarked
package dev.mnode.node.pair;

import org.jspecify.annotations.NullMarked;
