/**
 * The relay carrier: sync through a {@link dev.mnode.cloud.BlobStore} (a folder, S3 or Dropbox) for
 * devices that are rarely online together. Each device uploads what it sealed (its own bundles, the
 * membership operations it knows, its signed prekey and the key envelopes it sealed) as immutable
 * segments, and lists and fetches the others' ({@link dev.mnode.node.relay.RelaySync}).
 *
 * <p>The relay is class-blind: a segment is sealed under a key derived from the vault secret, with
 * its name as associated data, and padded to a power-of-two size from 4 KiB; names are keyed hashes
 * under a prefix derived from the vault ({@link dev.mnode.node.relay.RelayKeys}). The provider learns
 * the number of segments, their padded sizes and when they are written and read; not the classes,
 * authors, seqs, texts or even the bundle headers inside.
 *
 * <p>Deviations from the first design, with reasons: blobs are segments of many bundles (not one
 * blob per bundle), so 100k memories make about a hundred objects rather than 100k; names are keyed
 * by device and a per-device counter (not by class and seq), since a segment mixes classes and seqs.
 * Each round lists all names of the vault: see docs/relay.md for the measured cost and the manifest
 * that would bound it. Compaction (deleting superseded blobs) is not part of this slice.
 */
@NullMarked
package dev.mnode.node.relay;

import org.jspecify.annotations.NullMarked;
