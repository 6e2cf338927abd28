package dev.mnode.bench;

import java.util.List;

/**
 * Where the time of a cold status goes, from {@link StartupProbe} runs in fresh JVMs.
 *
 * @param name the configuration the probe ran in
 * @param runs counted runs
 * @param phases median milliseconds of each phase, in order
 * @param totalMs median wall time of the whole process
 */
record StartupPhases(String name, int runs, List<Phase> phases, double totalMs) {
  /**
   * One phase.
   *
   * @param name what happens in it
   * @param medianMs its median duration
   */
  record Phase(String name, double medianMs) {}
}
