/**
 * The libp2p wire protocols on Netty, to the libp2p specs: multistream-select 1.0 ({@code
 * Multistream*}), Noise XX with the libp2p handshake payload ({@code Noise*}), yamux 1.0 ({@code
 * Yamux*}), identify and ping, and the {@link dev.mnode.p2p.Host} that puts them together. Only
 * {@link dev.mnode.p2p.net.P2pModule} is public: it is the one place that builds the
 * implementations.
 *
 * <p>A connection is upgraded in this order (dialer on the left):
 *
 * <pre>
 *   TCP connect
 *   multistream-select  /multistream/1.0.0, /noise
 *   Noise XX            e  |  e, ee, s, es + signed payload  |  s, se + signed payload
 *   gate                (authenticated peer id)
 *   multistream-select  /multistream/1.0.0, /yamux/1.0.0   (inside Noise)
 *   yamux               streams, each starting with multistream-select for its protocol
 * </pre>
 *
 * <p>Specs: libp2p/specs connections/README.md, noise/README.md, yamux (hashicorp spec.md),
 * identify/README.md, ping/ping.md; multiformats/multistream-select.
 */
@NullMarked
package dev.mnode.p2p.net;

import org.jspecify.annotations.NullMarked;
