/**
 * Retrieval for mnode: on-device sentence embeddings ({@link dev.mnode.index.Embedder}), an HNSW
 * vector index ({@link dev.mnode.index.VectorIndex}), a BM25 word index ({@link
 * dev.mnode.index.TextIndex}) and their fusion ({@link dev.mnode.index.Fusion}). Knows nothing of
 * the network or of keys: whatever it persists, its caller seals.
 */
@NullMarked
package dev.mnode.index;

import org.jspecify.annotations.NullMarked;
