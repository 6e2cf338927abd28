/** Automerge model of memories, per-author logs, version vectors and convergence (not built yet). */
@NullMarked
package dev.mnode.crdt;

import org.jspecify.annotations.NullMarked;
