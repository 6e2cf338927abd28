/** Embeddings, HNSW vectors, Lucene full text and hybrid ranking (not built yet). */
@NullMarked
package dev.mnode.index;

import org.jspecify.annotations.NullMarked;
