package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.crypto.Argon2Params;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.NodeStatus;
import dev.mnode.node.backup.RecoveryPhrases;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", description = "Create a new vault on this device: keys, data directory, store.")
final class InitCommand extends Mnode.Sub {
  @Option(
      names = "--passphrase",
      description =
          "Protect the key file with a passphrase (asked on the terminal, or taken from $MNODE_PASSPHRASE).")
  boolean passphrase;

  @Override
  void run(Mnode m) throws Exception {
    Home home = m.home();
    char[] pass = null;
    if (passphrase) {
      pass = m.passphraseSource(home, true).get();
      if (pass == null || pass.length == 0) {
        throw new CliException(
            Mnode.EXIT_INVALID, "invalid_input", "--passphrase needs a terminal or $MNODE_PASSPHRASE");
      }
    }
    NodeStatus s;
    String phrase;
    try (MemoryService svc = NodeModule.init(home, pass, Argon2Params.DEFAULT, m.clock);
        RecoveryPhrases.Ensured recovery = NodeModule.recoveryPhrase(svc)) {
      s = svc.status();
      phrase = recovery.phrase().words();
    } finally {
      if (pass != null) {
        Arrays.fill(pass, '\0');
      }
    }
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("home", s.home().toString());
      o.put("vault", s.vaultId());
      o.put("schema", s.schema());
      o.put("passphrase", s.passphraseProtected());
      o.put("recovery_phrase", phrase);
      m.printJson(o);
    } else {
      m.out.println("initialised mnode home " + s.home() + " (vault " + s.vaultId() + ")");
      m.out.println("keep " + home.keyFile() + " safe: without it the store cannot be opened");
      m.out.println();
      m.out.println("recovery phrase (shown once; write it down and keep it offline, it opens your backups):");
      m.out.println("  " + phrase);
      m.out.println("see it again with: mnode recovery show");
    }
  }
}
