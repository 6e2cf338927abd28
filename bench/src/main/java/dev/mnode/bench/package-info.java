/**
 * mnode's benchmarks, run by {@code bin/bench}: durable writes, import, reads, disk use and the
 * cold start of {@code bin/mnode}, on real components only (RocksDB in a temporary directory, the
 * real CLI process). {@link dev.mnode.bench.Bench} is the entry point.
 */
@NullMarked
package dev.mnode.bench;

import org.jspecify.annotations.NullMarked;
