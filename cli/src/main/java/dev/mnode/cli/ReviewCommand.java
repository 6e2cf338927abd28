package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.ListQuery;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryPatch;
import dev.mnode.node.MemoryService;
import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.store.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mnode review}: the memories whose class the node was unsure of, and setting their class.
 * {@code --json} lists objects {@code {"id", "text", "class", "proposed", "confidence",
 * "created"}}, newest first; with an id it prints the updated memory.
 */
@Command(
    name = "review",
    description = {
      "List memories whose class the node was unsure of (it chose other and flagged them).",
      "With ID and --class C or --accept: set the class (the proposed one with --accept) and clear the flag."
    })
final class ReviewCommand extends Mnode.Sub {
  @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The memory to settle.")
  @Nullable String id;

  @ArgGroup(exclusive = true)
  @Nullable Choice choice;

  static final class Choice {
    @Option(names = "--class", paramLabel = "C", description = "Set this class.")
    @Nullable String memoryClass;

    @Option(names = "--accept", description = "Take the class the node proposed.")
    boolean accept;
  }

  @Override
  void run(Mnode m) throws Exception {
    if (id == null) {
      if (choice != null) {
        throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "--class and --accept need the ID of a memory in review");
      }
      list(m);
      return;
    }
    if (choice == null) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "give --class C or --accept for " + id);
    }
    Memory saved;
    try (MemoryService svc = m.open()) {
      Memory old = svc.get(id);
      String chosen = choice.memoryClass;
      if (choice.accept) {
        chosen = ClassMetadata.proposed(old).orElseThrow(() -> new CliException(
            Mnode.EXIT_INVALID, "invalid_input", id + " has no proposed class to accept; give --class C"));
      }
      saved = svc.update(id, new MemoryPatch(null, chosen, null, null, null, null, ClassMetadata.chosen(true), null));
    }
    if (m.json) {
      m.printJson(MemoryJson.toJson(saved));
    } else {
      m.out.println("class of " + saved.id() + " set to " + saved.memoryClass());
    }
  }

  private static void list(Mnode m) throws Exception {
    List<Memory> flagged = new ArrayList<>();
    try (MemoryService svc = m.open()) {
      for (Memory mem : svc.list(ListQuery.all(ListQuery.MAX_LIMIT))) {
        if (ClassMetadata.flagged(mem)) {
          flagged.add(mem);
        }
      }
    }
    if (m.json) {
      ArrayNode a = MemoryJson.MAPPER.createArrayNode();
      for (Memory mem : flagged) {
        ObjectNode o = a.addObject();
        o.put("id", mem.id().toString());
        o.put("text", mem.text());
        o.put("class", mem.memoryClass().name());
        o.put("proposed", ClassMetadata.proposed(mem).orElse(null));
        o.put("confidence", ClassMetadata.confidence(mem));
        o.put("created", mem.created().toString());
      }
      m.printJson(a);
      return;
    }
    if (flagged.isEmpty()) {
      m.out.println("nothing to review");
      return;
    }
    for (Memory mem : flagged) {
      m.out.printf(Locale.ROOT, "%s  %s? (%.2f)  %s%n", mem.id(), ClassMetadata.proposed(mem).orElse("?"),
          ClassMetadata.confidence(mem), oneLine(mem.text()));
    }
    m.out.println("settle one with: mnode review ID --accept, or mnode review ID --class C");
  }

  private static String oneLine(String text) {
    String s = text.replaceAll("\\s+", " ");
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
