package dev.mnode.cli;

import dev.mnode.node.ImportSummary;
import dev.mnode.node.MemoryService;
import dev.mnode.node.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    description = {
      "Import memories from JSON Lines ('-' reads stdin), one memory object per line; only \"text\" is required.",
      "All or nothing: every line is checked first, and the first bad line stops the import with its number.",
      "Ids already in the store are skipped and counted."
    })
final class ImportCommand extends Mnode.Sub {
  @Parameters(index = "0", paramLabel = "FILE|-")
  String file;

  @Option(
      names = "--allow-duplicate",
      description = "Import lines whose class already holds the same fact (skipped by default; checking embeds every memory).")
  boolean allowDuplicate;

  @Override
  void run(Mnode m) throws Exception {
    ImportSummary s;
    try (MemoryService svc = m.open();
        InputStream in = file.equals("-") ? m.in : open(Path.of(file))) {
      long total = file.equals("-") ? -1 : Files.size(Path.of(file));
      ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "memories") : null;
      try {
        s = svc.importJsonLines(in, total, bar == null ? ProgressListener.NONE : bar, allowDuplicate);
      } finally {
        if (bar != null) {
          bar.finish();
        }
      }
    }
    if (m.json) {
      m.printJson(Render.importSummary(s));
    } else {
      Render.importSummaryText(m.out, s);
    }
  }

  private static InputStream open(Path p) throws IOException, CliException {
    try {
      if (Files.isDirectory(p)) {
        throw new CliException(Mnode.EXIT_INVALID, "invalid_input", p + " is a directory");
      }
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "no such file: " + p);
    } catch (IOException e) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input", "cannot read " + p + ": " + Mnode.reason(e));
    }
  }
}
