package dev.mnode.node.proc;

import dev.mnode.node.Home;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.PassphraseSource;
import dev.mnode.node.ProgressListener;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A real writer process for the multi-process tests. Modes:
 *
 * <ul>
 *   <li>{@code write HOME MAX}: opens the home, then remembers memories (every tenth step imports a
 *       batch of 50 instead) and prints each id on stdout only after the call returned, that is,
 *       once the write is acknowledged as durable. Stops after MAX memories.
 *   <li>{@code hold HOME}: opens the home, prints {@code ready}, and holds it until stdin closes.
 * </ul>
 */
public final class WriterMain {
  private WriterMain() {}

  public static void main(String[] args) throws Exception {
    Home home = new Home(Path.of(args[1]));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, Clock.systemUTC())) {
      if (args[0].equals("hold")) {
        out.println("ready");
        out.flush();
        while (System.in.read() >= 0) {
          // hold the store until the parent closes our stdin or kills us
        }
        return;
      }
      int max = Integer.parseInt(args[2]);
      out.println("opened");
      out.flush();
      int written = 0;
      for (int step = 0; written < max; step++) {
        if (step % 10 == 9) {
          List<String> ids = new ArrayList<>();
          StringBuilder jsonl = new StringBuilder();
          for (int i = 0; i < 50; i++) {
            String id = MemoryId.generate(Clock.systemUTC()).toString();
            ids.add(id);
            jsonl.append("{\"id\":\"").append(id).append("\",\"text\":\"imported ").append(step)
                .append('/').append(i).append("\",\"class\":\"work\"}\n");
          }
          svc.importJsonLines(
              new ByteArrayInputStream(jsonl.toString().getBytes(StandardCharsets.UTF_8)),
              -1,
              ProgressListener.NONE);
          for (String id : ids) {
            out.println(id);
          }
          written += ids.size();
        } else {
          Memory m = svc.remember(new MemoryDraft("durable memory " + step + " " + "x".repeat(step % 300), "work", java.util.List.of(), null, null, false, java.util.Map.of(), java.util.List.of()));
          out.println(m.id());
          written++;
        }
        out.flush();
      }
    }
  }
}
