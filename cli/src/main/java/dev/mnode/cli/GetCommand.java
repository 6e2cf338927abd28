package dev.mnode.cli;

import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.store.Memory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Show one memory.")
final class GetCommand extends Mnode.Sub {
  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Override
  void run(Mnode m) throws Exception {
    Memory mem;
    try (MemoryService svc = m.open()) {
      mem = svc.get(id);
    }
    if (m.json) {
      m.printJson(MemoryJson.toJson(mem));
    } else {
      Render.memory(m.out, mem);
    }
  }
}
