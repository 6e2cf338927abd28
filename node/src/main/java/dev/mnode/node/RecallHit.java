package dev.mnode.node;

import dev.mnode.store.Memory;

/**
 * One recalled memory with its score and every part of it.
 *
 * @param score the final score; higher is better
 * @param rrf the reciprocal-rank fusion of the two lists
 * @param vectorRank rank among the nearest vectors from 1, or 0 when not among them
 * @param textRank rank among the BM25 word matches from 1, or 0 when not among them
 * @param recency 1 for now, halving every 90 days
 * @param importance the memory's importance
 */
public record RecallHit(
    Memory memory, double score, double rrf, int vectorRank, int textRank, double recency, double importance) {}
