package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "forget", description = "Delete a memory.")
final class ForgetCommand extends Mnode.Sub {
  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Override
  void run(Mnode m) throws Exception {
    try (MemoryService svc = m.open()) {
      svc.forget(id);
    }
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("id", id);
      o.put("forgotten", true);
      m.printJson(o);
    } else {
      m.out.println("forgot " + id);
    }
  }
}
