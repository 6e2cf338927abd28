package dev.mnode.bench;

import java.util.List;

/** mnode's performance targets, checked against a run's results. */
final class Targets {
  static final double IMPORT_PER_SECOND = 20_000;
  static final double GET_P99_MS = 1.0;
  static final double STATUS_MS = 700;

  private Targets() {}

  /**
   * Checks import throughput (no embeddings), in-process get p99 through the service and the median
   * cold {@code mnode status} with the archive.
   */
  static List<TargetCheck> check(
      ImportResult imported, ReadResult serviceGet, ProcessResult status) {
    return List.of(
        new TargetCheck(
            "import >= " + Fmt.count(IMPORT_PER_SECOND) + " memories/s (no embeddings)",
            Fmt.count(imported.perSecond())
                + " memories/s ("
                + Fmt.count(imported.memories())
                + ")",
            imported.perSecond() >= IMPORT_PER_SECOND),
        new TargetCheck(
            "get p99 < " + Fmt.num(GET_P99_MS, 0) + " ms in-process",
            Fmt.num(p99(serviceGet), 3) + " ms",
            p99(serviceGet) < GET_P99_MS),
        new TargetCheck(
            "cold mnode status < " + Fmt.count(STATUS_MS) + " ms",
            Fmt.num(status.medianMs(), 0) + " ms median",
            status.medianMs() < STATUS_MS));
  }

  private static double p99(ReadResult r) {
    if (r.latency() == null) {
      throw new IllegalArgumentException(r.benchmark() + " has no latencies");
    }
    return r.latency().p99Ms();
  }
}
