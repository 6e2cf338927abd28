package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.ListQuery;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.ProgressListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "export",
    description = {
      "Export every memory as JSON Lines to FILE (written atomically, mode 0600: it is plaintext) or stdout.",
      "With --json and no FILE, prints one JSON array instead."
    })
final class ExportCommand extends Mnode.Sub {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-")
  String file;

  @Override
  void run(Mnode m) throws Exception {
    boolean toStdout = file == null || file.equals("-");
    try (MemoryService svc = m.open()) {
      if (toStdout) {
        if (m.json) {
          m.printJson(Render.memories(svc.list(ListQuery.all(ListQuery.MAX_LIMIT))));
        } else {
          svc.exportJsonLines(m.out, ProgressListener.NONE);
          m.out.flush();
        }
        return;
      }
      Path target = Path.of(file).toAbsolutePath();
      Path tmp;
      try {
        tmp =
            Files.createTempFile(
                target.getParent(),
                "." + target.getFileName() + ".",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (IOException e) {
        throw new CliException(
            Mnode.EXIT_INVALID, "invalid_input", "cannot write " + target + ": " + Mnode.reason(e));
      }
      long n;
      ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "memories") : null;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        n = svc.exportJsonLines(out, bar == null ? ProgressListener.NONE : bar);
        out.flush();
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new CliException(
            Mnode.EXIT_FAILURE, "error", "cannot write " + target + ": " + Mnode.reason(e));
      } finally {
        Files.deleteIfExists(tmp);
        if (bar != null) {
          bar.finish();
        }
      }
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.put("exported", n);
        o.put("file", target.toString());
        m.printJson(o);
      } else {
        m.out.println("exported " + n + " memories to " + target);
      }
    }
  }
}
