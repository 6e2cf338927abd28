package dev.mnode.node;

import dev.mnode.store.Memory;

/**
 * One recalled memory with its score and every part of it.
 *
 * @param score the final score; higher is better
 * @param fused 0.8 x the scaled vector score + 0.2 x the scaled word score
 * @param vectorRank rank among the nearest vectors from 1, or 0 when not among them
 * @param vectorScore its cosine scaled to 0..1 within the vector candidates
 * @param textRank rank among the BM25 word matches from 1, or 0 when not among them
 * @param textScore its BM25 score scaled to 0..1 within the word candidates
 * @param recency 1 for now, halving every 90 days
 * @param importance the memory's importance
 */
public record RecallHit(
    Memory memory,
    double score,
    double fused,
    int vectorRank,
    double vectorScore,
    int textRank,
    double textScore,
    double recency,
    double importance) {}
