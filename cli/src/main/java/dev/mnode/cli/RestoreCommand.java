package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.crypto.Argon2Params;
import dev.mnode.crypto.CryptoException;
import dev.mnode.crypto.RecoveryPhrase;
import dev.mnode.node.Home;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.backup.Backups;
import dev.mnode.node.backup.RestoreSummary;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "restore",
    description = {
      "Recreate a home from a backup FILE, into a new or empty --home, on a device that replaces a lost one.",
      "The recovery phrase is read from --phrase-file, else $MNODE_RECOVERY_PHRASE, else the terminal or stdin.",
      "If another device of the vault still works, pair this one instead (it keeps its own identity)."
    })
final class RestoreCommand extends Mnode.Sub {
  static final String PHRASE_ENV = "MNODE_RECOVERY_PHRASE";
  /** Longest phrase input read: 24 words of at most 8 letters and some spaces fit many times. */
  static final int MAX_PHRASE_BYTES = 4096;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--phrase-file", paramLabel = "FILE", description = "Read the recovery phrase from FILE.")
  @Nullable Path phraseFile;

  @Option(
      names = "--passphrase",
      description = "Protect the new key file with a passphrase (asked on the terminal, or taken from $MNODE_PASSPHRASE).")
  boolean passphrase;

  @Override
  void run(Mnode m) throws Exception {
    Home home = m.home();
    RestoreSummary s;
    try (RecoveryPhrase phrase = phrase(m)) {
      char[] pass = null;
      if (passphrase) {
        pass = m.passphraseSource(home, true).get();
        if (pass == null || pass.length == 0) {
          throw new CliException(
              Mnode.EXIT_INVALID, "invalid_input", "--passphrase needs a terminal or $MNODE_PASSPHRASE");
        }
      }
      ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "memories") : null;
      try {
        s = Backups.restore(file, phrase, home, pass, Argon2Params.DEFAULT, bar == null ? ProgressListener.NONE : bar);
      } finally {
        if (pass != null) {
          Arrays.fill(pass, '\0');
        }
        if (bar != null) {
          bar.finish();
        }
      }
    }
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("home", s.home().toString());
      o.put("vault", s.vaultId());
      o.put("device", s.device());
      o.put("memories", s.memories());
      o.put("sync_rows", s.syncRows());
      o.put("seconds", s.seconds());
      m.printJson(o);
    } else {
      m.out.printf(Locale.ROOT, "restored %,d memories of vault %s into %s in %.1f s%n",
          s.memories(), s.vaultId(), s.home(), s.seconds());
      m.out.println("this home continues as device " + s.device() + "; the recall index is rebuilt on first recall");
    }
  }

  private RecoveryPhrase phrase(Mnode m) throws Exception {
    String text;
    if (phraseFile != null) {
      try (InputStream in = Files.newInputStream(phraseFile)) {
        text = new String(in.readNBytes(MAX_PHRASE_BYTES), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "cannot read " + phraseFile + ": " + Mnode.reason(e));
      }
    } else if (m.env.get(PHRASE_ENV) != null) {
      text = m.env.get(PHRASE_ENV);
    } else {
      Console console = System.console();
      if (console != null) {
        char[] typed = console.readPassword("Recovery phrase (24 words): ");
        text = typed == null ? "" : new String(typed);
        if (typed != null) {
          Arrays.fill(typed, '\0');
        }
      } else {
        text = new String(m.in.readNBytes(MAX_PHRASE_BYTES), StandardCharsets.UTF_8);
      }
    }
    try {
      return RecoveryPhrase.parse(text);
    } catch (CryptoException e) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", e.getMessage());
    }
  }
}
