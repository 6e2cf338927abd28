package dev.mnode.index;

/** One result of an index: the id of a memory and the index's own score, higher is better. */
public record Hit(String id, double score) {}
