/**
 * The Automerge model of memories and the bookkeeping of replication, independent of network and
 * keys.
 *
 * <ul>
 *   <li>{@link dev.mnode.crdt.MemoryDoc}: one small Automerge document per memory, written as the
 *       device's {@link dev.mnode.crdt.ActorId}; produces and applies {@link
 *       dev.mnode.crdt.Changes}, materializes a {@link dev.mnode.crdt.MemoryState}.
 *   <li>{@link dev.mnode.crdt.AuthorLog} and {@link dev.mnode.crdt.VersionVector}: per class, each
 *       author's log of entries (bundles) without gaps, and what a device announces in sync.
 *   <li>{@link dev.mnode.crdt.Digest}: a state digest equal on devices holding the same memories.
 *   <li>{@link dev.mnode.crdt.ClassSnapshot}: a class's documents covering a version vector, from
 *       which a device bootstraps before receiving the bundles it does not cover.
 *   <li>{@code dev.mnode.crdt.membership}: the signed membership log of a vault, its epochs and
 *       who may hold and write each class.
 * </ul>
 *
 * {@link dev.mnode.crdt.CrdtModule} builds the implementations. automerge-java (0.0.x) appears in
 * no public signature, so its API can change behind this package.
 */
@NullMarked
package dev.mnode.crdt;

import org.jspecify.annotations.NullMarked;
