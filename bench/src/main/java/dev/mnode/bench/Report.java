package dev.mnode.bench;

import java.util.List;

/**
 * Everything one run of {@code bin/bench} measured; printed as tables or as one JSON document.
 *
 * @param plan how much was done
 * @param machine where it ran
 * @param writes durable writes, one and several writers
 * @param importResult the JSON Lines import
 * @param reads point reads and the full listing
 * @param disk store size after import and after compaction
 * @param firstOpen the first {@code mnode status} after the import, which replays the WAL
 * @param coldStart spawned commands, warm
 * @param classSources where a cold status's classes come from, with and without the archive
 * @param cdsArchive whether bin/mnode's archive was present, fresh and accepted by the JVM
 * @param phases what a cold status spends its time on, as bin/mnode starts and without the
 *     native-library costs
 * @param targets the goals and whether they were met
 * @param warnings what makes this run's numbers doubtful; empty when nothing does
 * @param seconds wall time of the whole run
 */
record Report(
    Plan plan,
    Machine machine,
    List<WriteResult> writes,
    ImportResult importResult,
    List<ReadResult> reads,
    List<DiskResult> disk,
    ProcessResult firstOpen,
    List<ProcessResult> coldStart,
    List<ClassSources> classSources,
    String cdsArchive,
    List<StartupPhases> phases,
    List<TargetCheck> targets,
    List<String> warnings,
    double seconds) {}
