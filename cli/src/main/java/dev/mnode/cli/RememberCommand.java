package dev.mnode.cli;

import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.Remembered;
import dev.mnode.node.classify.ClassMetadata;
import dev.mnode.store.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "remember", description = "Keep a memory. TEXT '-' reads it from stdin.")
final class RememberCommand extends Mnode.Sub {
  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The memory (words are joined by spaces).")
  List<String> words;

  @Mixin MemoryOptions opts;

  @Option(names = "--pin", description = "Pin it: pinned memories come first.")
  boolean pin;

  @Option(
      names = "--allow-duplicate",
      description = "Store it even when its class already holds the same fact (by default that memory is returned).")
  boolean allowDuplicate;

  @Override
  void run(Mnode m) throws Exception {
    String text = String.join(" ", words);
    if (text.equals("-")) {
      text = readStdin(m);
    }
    MemoryDraft d =
        new MemoryDraft(
            text,
            opts.memoryClass,
            Mnode.nonNull(opts.tags),
            opts.importance,
            opts.source == null ? "cli" : opts.source,
            pin,
            opts.metadataOrEmpty(),
            Mnode.nonNull(opts.links));
    Remembered r;
    try (MemoryService svc = m.open()) {
      r = svc.remember(d, allowDuplicate);
    }
    Memory saved = r.memory();
    if (m.json) {
      m.printJson(MemoryJson.remembered(r));
    } else if (r.duplicate()) {
      m.out.println("already remembered as " + saved.id() + " (" + saved.memoryClass() + "); nothing stored (--allow-duplicate stores it anyway)");
    } else {
      m.out.println("remembered " + saved.id() + " (" + classNote(saved) + ")");
      if (ClassMetadata.flagged(saved)) {
        m.out.println("  unsure of its class (" + ClassMetadata.proposed(saved).orElse("?")
            + " proposed): see mnode review");
      }
      r.redactions().forEach(f ->
          m.out.println("  redacted " + f.count() + " " + f.type().id() + (f.count() == 1 ? "" : "s") + " before storing it"));
    }
  }

  /** "work" for a class the writer named; "work, 0.87 auto" for one the node chose. */
  static String classNote(Memory saved) {
    if (!ClassMetadata.source(saved).equals(ClassMetadata.AUTO)) {
      return saved.memoryClass().name();
    }
    return String.format(java.util.Locale.ROOT, "%s, %.2f auto", saved.memoryClass(), ClassMetadata.confidence(saved));
  }

  static String readStdin(Mnode m) throws IOException, CliException {
    byte[] bytes = m.in.readNBytes(1 << 20);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString()
          .stripTrailing();
    } catch (CharacterCodingException e) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "text on stdin is not valid UTF-8");
    }
  }
}
