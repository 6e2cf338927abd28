package dev.mnode.bench;

import java.util.List;

/**
 * Everything one run of {@code bin/bench recall} measured; printed as tables or as one JSON
 * document.
 *
 * @param run {@code full} or {@code quick}
 * @param machine where it ran
 * @param corpus where the memories and queries came from, in words
 * @param models one evaluation per embedding model
 * @param targets the retrieval goals and whether each model met them
 * @param seconds wall time of the whole run
 */
record RecallReport(
    String run, Machine machine, String corpus, List<ModelResult> models, List<TargetCheck> targets, double seconds) {}
