package dev.mnode.cli;

import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeStatus;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show the home, vault, schema, memory counts per class and size.")
final class StatusCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) throws Exception {
    NodeStatus s;
    try (MemoryService svc = m.open()) {
      s = svc.status();
    }
    if (m.json) {
      m.printJson(Render.status(s));
    } else {
      Render.statusText(m.out, s);
    }
  }
}
