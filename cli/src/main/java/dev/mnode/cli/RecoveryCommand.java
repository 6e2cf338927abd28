package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.backup.RecoveryPhrases;
import picocli.CommandLine.Command;

@Command(
    name = "recovery",
    description = "The recovery phrase that opens this home's backups.",
    subcommands = RecoveryCommand.Show.class)
final class RecoveryCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) {
    new picocli.CommandLine(this).usage(m.out);
  }

  @Command(
      name = "show",
      description = {
        "Print the recovery phrase (asks for the passphrase when the home has one).",
        "A home made before recovery phrases gets one now, and this says so."
      })
  static final class Show extends Mnode.Sub {
    @Override
    void run(Mnode m) throws Exception {
      try (MemoryService svc = m.openLocal();
          RecoveryPhrases.Ensured p = NodeModule.recoveryPhrase(svc)) {
        String words = p.phrase().words();
        if (m.json) {
          ObjectNode o = MemoryJson.MAPPER.createObjectNode();
          o.put("recovery_phrase", words);
          o.put("made_now", p.madeNow());
          m.printJson(o);
        } else {
          if (p.madeNow()) {
            m.out.println("this home had no recovery phrase: one was made now; write it down and keep it offline");
          }
          m.out.println(words);
        }
      }
    }
  }
}
