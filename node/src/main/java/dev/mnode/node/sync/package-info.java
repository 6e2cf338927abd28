/** Replication of memories between the devices of a vault: sealed bundles of Automerge changes. */
@NullMarked
package dev.mnode.node.sync;

import org.jspecify.annotations.NullMarked;
