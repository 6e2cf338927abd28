package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.crypto.Argon2Params;
import dev.mnode.node.Home;
import dev.mnode.node.ListQuery;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryPatch;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeModule;
import dev.mnode.node.NodeStatus;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.RecallHit;
import dev.mnode.node.RecallQuery;
import dev.mnode.store.Memory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    description =
        "Show mnode at work in a throw-away home: init, remember, list, get, update, forget, export and import, status.")
final class DemoCommand extends Mnode.Sub {
  @Option(names = "--keep", description = "Keep the throw-away home and print where it is.")
  boolean keep;

  private Mnode m;
  private ArrayNode steps;

  @Override
  void run(Mnode root) throws Exception {
    m = root;
    steps = MemoryJson.MAPPER.createArrayNode();
    Path dir = Files.createTempDirectory("mnode-demo-");
    Home home = new Home(dir.resolve("home"));
    Home copy = new Home(dir.resolve("copy"));
    try {
      NodeStatus status;
      try (MemoryService svc = NodeModule.init(home, null, Argon2Params.DEFAULT, m.clock)) {
        say("init", "created a vault in " + home.dir() + " (master key 0600, store sealed per class)");
        Memory stripe =
            svc.remember(
                new MemoryDraft(
                    "We chose Stripe over Adyen for payments: better API, EU coverage, lower fees.",
                    "work", List.of("payments", "decision"), 0.9, "demo", false, Map.of("project", "atlas"),
                    List.of()));
        svc.remember(
            new MemoryDraft(
                "I prefer short answers with the code first.", "personal", List.of("style"), 0.7,
                "demo", true, Map.of(), List.of()));
        Memory allergy =
            svc.remember(
                new MemoryDraft(
                    "Allergic to penicillin.", "health", List.of(), 1.0, "demo", true, Map.of(), List.of()));
        svc.remember(
            new MemoryDraft(
                "Standup moved to 9:30 on Tuesdays.", "work", List.of("meetings"), 0.4, "demo",
                false, Map.of(), List.of(stripe.id().toString())));
        say("remember", "remembered 4 memories in classes work, personal and health, each durable on return");

        String question = "which payment provider did we pick?";
        List<RecallHit> hits = svc.recall(RecallQuery.of(question), ProgressListener.NONE);
        say("recall \"" + question + "\"", "best match (offline, on-device embeddings + BM25): \"" + hits.get(0).memory().text() + "\"");

        boolean dup = svc.remember(new MemoryDraft("we chose stripe over adyen for payments: better api, eu coverage, lower fees", "work", List.of(), null, "demo", false, Map.of(), List.of()), false).duplicate();
        say("remember (again)", dup ? "the same fact again: returned the existing memory, stored nothing" : "stored a second copy");

        List<Memory> work = svc.list(new ListQuery(List.of("work"), null, null, null, null, 10));
        say("list --class work", work.size() + " memories: " + texts(work));

        List<Memory> tagged = svc.list(new ListQuery(List.of(), "payments", null, null, null, 10));
        Memory found = svc.get(tagged.get(0).id().toString());
        say("get " + found.id(), "\"" + found.text() + "\"");

        Memory pinned =
            svc.update(
                found.id().toString(),
                new MemoryPatch(null, null, null, 1.0, null, true, Map.of("decided", "2026-11"), null));
        say("update", "pinned it, importance " + pinned.importance() + ", metadata " + pinned.metadata());

        svc.forget(allergy.id().toString());
        say("forget", "forgot the health memory; " + svc.status().count() + " remain");

        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        long exported = svc.exportJsonLines(jsonl, ProgressListener.NONE);
        try (MemoryService other = NodeModule.init(copy, null, Argon2Params.DEFAULT, m.clock)) {
          other.importJsonLines(new ByteArrayInputStream(jsonl.toByteArray()), jsonl.size(), ProgressListener.NONE);
          ByteArrayOutputStream again = new ByteArrayOutputStream();
          other.exportJsonLines(again, ProgressListener.NONE);
          boolean same = java.util.Arrays.equals(jsonl.toByteArray(), again.toByteArray());
          say(
              "export | import",
              "exported " + exported + " memories as JSON Lines and imported them into a second home: "
                  + (same ? "identical, field for field" : "DIFFERENT"));
          if (!same) {
            throw new CliException(Mnode.EXIT_FAILURE, "error", "round trip changed the memories");
          }
        }
        status = svc.status();
        say("status", status.count() + " memories " + status.classes() + ", " + status.diskBytes() / 1024 + " KiB on disk");
      }
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.put("home", home.dir().toString());
        o.put("kept", keep);
        o.set("steps", steps);
        o.set("status", Render.status(status));
        m.printJson(o);
      } else if (keep) {
        m.out.println("kept the demo home: mnode --home " + home.dir() + " list");
      } else {
        m.out.println("removed the throw-away home; run `mnode init` to start your own in ~/.mnode");
      }
    } finally {
      if (!keep) {
        deleteTree(dir);
      }
    }
  }

  private void say(String step, String what) {
    steps.addObject().put("step", step).put("result", what);
    if (!m.json) {
      m.out.printf("%-18s %s%n", "mnode " + step.split(" ")[0], what);
    }
  }

  private static String texts(List<Memory> ms) {
    return String.join(" | ", ms.stream().map(x -> "\"" + x.text() + "\"").toList());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
