/**
 * The memory model and the durable, encrypted memory store's public API. The implementation on
 * RocksDB lives in {@code dev.mnode.store.rocks}; {@code RocksStoreModule} is its only factory.
 */
@NullMarked
package dev.mnode.store;

import org.jspecify.annotations.NullMarked;
