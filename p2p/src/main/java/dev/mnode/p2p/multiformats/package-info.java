/**
 * The multiformats that libp2p is built on: unsigned varints, multibase text encodings (base32,
 * base36, base58btc), multihashes and the multicodec numbers this module uses.
 *
 * <p>This package depends on nothing else in mnode; {@code dev.mnode.p2p} builds peer ids and
 * multiaddrs on it. Every decoder here is strict (it accepts exactly one encoding of a value where
 * the spec asks for that), bounded by a named limit, and fails with {@link
 * dev.mnode.p2p.multiformats.MultiformatException} and nothing else on bad input.
 *
 * <p>Specs: multiformats/unsigned-varint, multiformats/multibase, multiformats/multihash,
 * multiformats/multicodec (table.csv), RFC 4648.
 */
@NullMarked
package dev.mnode.p2p.multiformats;

import org.jspecify.annotations.NullMarked;
