package dev.mnode.bench;

import java.util.Map;

/**
 * Wall times of a command spawned as a new process, counted after a warm-up.
 *
 * @param name what the command shows
 * @param command the command line, with the checkout as {@code <repo>} and the store's home as
 *     {@code <home>}
 * @param env environment variables set for it
 * @param runs counted runs
 * @param minMs fastest run
 * @param medianMs median run
 * @param maxMs slowest run
 */
record ProcessResult(
    String name,
    String command,
    Map<String, String> env,
    int runs,
    double minMs,
    double medianMs,
    double maxMs) {}
