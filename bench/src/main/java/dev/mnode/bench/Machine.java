package dev.mnode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine and runtime the benchmark ran on.
 *
 * @param cores processors available to the JVM
 * @param cpu CPU model name
 * @param memoryGib installed memory
 * @param jdk Java runtime name and version
 * @param os operating system, version and architecture
 */
record Machine(int cores, String cpu, double memoryGib, String jdk, String os) {

  /** Reads this machine's facts (Linux {@code /proc} for CPU and memory, "unknown" elsewhere). */
  static Machine detect() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        procField("/proc/cpuinfo", "model name").orElse("unknown"),
        procField("/proc/meminfo", "MemTotal")
            .map(v -> Fmt.round(Long.parseLong(v.replaceAll("[^0-9]", "")) / 1048576.0, 1))
            .orElse(0.0),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
  }

  private static Optional<String> procField(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return lines.stream()
          .filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
