/** The {@link dev.mnode.store.MemoryStore} on RocksDB. Only {@link RocksStoreModule} is public. */
@NullMarked
package dev.mnode.store.rocks;

import org.jspecify.annotations.NullMarked;
