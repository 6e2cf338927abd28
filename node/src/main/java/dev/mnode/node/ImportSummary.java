package dev.mnode.node;

import java.util.SortedMap;

/**
 * What an import did: memories written, lines skipped per reason (an id already in the store, an
 * id repeated in the file), and the wall time.
 */
public record ImportSummary(long imported, long skipped, SortedMap<String, Long> skippedReasons, double seconds) {}
