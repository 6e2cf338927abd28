package dev.mnode.bench;

/**
 * A performance target and whether this run met it.
 *
 * @param target the goal, in words
 * @param measured what this run measured, in words
 * @param met whether the measurement meets the goal
 */
record TargetCheck(String target, String measured, boolean met) {}
