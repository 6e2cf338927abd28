package dev.mnode.cli;

import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryPatch;
import dev.mnode.node.MemoryService;
import dev.mnode.store.Memory;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "update",
    description =
        "Change a memory. --tag and --link replace the lists; --meta K=V sets a key, --meta K= removes it.")
final class UpdateCommand extends Mnode.Sub {
  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(names = "--text", paramLabel = "T", description = "New text ('-' reads stdin).")
  @Nullable String text;

  @Mixin MemoryOptions opts;

  @Option(names = "--pin", negatable = true, description = "Pin (--pin) or unpin (--no-pin).")
  @Nullable Boolean pin;

  @Override
  void run(Mnode m) throws Exception {
    String newText = "-".equals(text) ? RememberCommand.readStdin(m) : text;
    MemoryPatch p =
        new MemoryPatch(
            newText,
            opts.memoryClass,
            opts.tags,
            opts.importance,
            opts.source,
            pin,
            opts.metadataOrEmpty(),
            opts.links);
    Memory saved;
    try (MemoryService svc = m.open()) {
      saved = svc.update(id, p);
    }
    if (m.json) {
      m.printJson(MemoryJson.toJson(saved));
    } else {
      m.out.println("updated " + saved.id());
    }
  }
}
