package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeStatus;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "classes",
    description = "List memory classes with their counts.",
    subcommands = ClassesCommand.Add.class)
final class ClassesCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) throws Exception {
    NodeStatus s;
    try (MemoryService svc = m.open()) {
      s = svc.status();
    }
    if (m.json) {
      ArrayNode a = MemoryJson.MAPPER.createArrayNode();
      s.classes().forEach((c, n) -> a.addObject().put("name", c).put("count", n));
      m.printJson(a);
    } else {
      s.classes().forEach((c, n) -> m.out.printf(Locale.ROOT, "%-32s %,d%n", c, n));
    }
  }

  @Command(name = "add", description = "Add a class: lowercase letters, digits and '-', starting with a letter, at most 32.")
  static final class Add extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(Mnode m) throws Exception {
      boolean added;
      try (MemoryService svc = m.open()) {
        added = svc.addClass(name);
      }
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.put("name", name);
        o.put("added", added);
        m.printJson(o);
      } else {
        m.out.println(added ? "added class " + name : "class " + name + " already exists");
      }
    }
  }
}
