/**
 * mDNS peer discovery to the libp2p mDNS spec (libp2p/specs discovery/mdns.md) on RFC 6762, with
 * DNS messages from Netty's DNS codec. Only {@link dev.mnode.p2p.mdns.MdnsModule} is public: it is
 * the one place that builds the implementation of {@link dev.mnode.p2p.Mdns}.
 *
 * <p>What goes on the wire:
 *
 * <pre>
 *   query     question  _p2p._udp.local PTR
 *   response  answer    _p2p._udp.local PTR &lt;peer-name&gt;._p2p._udp.local             (shared, TTL)
 *             additional &lt;peer-name&gt;._p2p._udp.local TXT "dnsaddr=/ip4/.../tcp/N/p2p/&lt;id&gt;" ...
 *                        &lt;peer-name&gt;._p2p._udp.local SRV 0 0 N &lt;peer-name&gt;.p2p.local     (one per port)
 *                        &lt;peer-name&gt;.p2p.local A / AAAA &lt;address&gt;                    (one per address)
 *   goodbye   the same records with TTL 0, sent on close
 * </pre>
 *
 * <p>An inbound packet passes, in order: {@code PacketGuard} (size, record counts, on-link
 * sender), Netty's query or response decoder (by the QR bit), then {@code MdnsHandler}. Anything
 * malformed is dropped and counted; no exception leaves the pipeline.
 */
@NullMarked
package dev.mnode.p2p.mdns;

import org.jspecify.annotations.NullMarked;
