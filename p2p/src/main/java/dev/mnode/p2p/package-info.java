/** libp2p on Netty: multiaddrs, peer ids, multistream-select, Noise, yamux, identify, ping, mDNS. */
@NullMarked
package dev.mnode.p2p;

import org.jspecify.annotations.NullMarked;
