package dev.mnode.cli;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options that describe a memory, shared by {@code remember} and {@code update}. */
final class MemoryOptions {
  @Option(names = "--class", paramLabel = "C", description = "Memory class (remember without it: the node proposes one).")
  @Nullable String memoryClass;

  @Option(names = "--tag", paramLabel = "T", description = "A tag; repeat for several.")
  @Nullable List<String> tags;

  @Option(names = "--importance", paramLabel = "X", description = "Importance from 0 to 1 (default 0.5).")
  @Nullable Double importance;

  @Option(names = "--source", paramLabel = "S", description = "Which app or person wrote it.")
  @Nullable String source;

  @Option(names = "--meta", paramLabel = "K=V", description = "A metadata entry; repeat for several.")
  @Nullable Map<String, String> metadata;

  @Option(names = "--link", paramLabel = "ID", description = "Id of a related memory; repeat for several.")
  @Nullable List<String> links;

  Map<String, String> metadataOrEmpty() {
    return metadata == null ? Map.of() : metadata;
  }
}
