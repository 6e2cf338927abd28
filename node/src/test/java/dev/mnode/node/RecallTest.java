package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recall end to end: a real store, the real in-process model, the sealed index on disk. */
class RecallTest {
  @TempDir Path tmp;

  private final List<String> warnings = new CopyOnWriteArrayList<>();

  private Home home() {
    return new Home(tmp.resolve("home"));
  }

  private MemoryService open() throws NodeException {
    return NodeModule.open(home(), PassphraseSource.NONE, Clock.systemUTC(), warnings::add);
  }

  static MemoryDraft draft(String text, String c, String... tags) {
    return new MemoryDraft(text, c, List.of(tags), null, null, false, Map.of(), List.of());
  }

  static final List<MemoryDraft> SEED =
      List.of(
          draft("We chose Stripe over Adyen for payments: better API, EU coverage, lower fees.", "work", "payments"),
          draft("Standup moved to 9:30 on Tuesdays.", "work", "team"),
          draft("I am allergic to penicillin.", "health"),
          draft("The staging database runs Postgres 16 with nightly backups.", "work", "infra"),
          draft("My daughter's birthday is on the 3rd of May.", "personal", "family"),
          draft("Rent of 1450 EUR is due on the first of each month.", "financial"),
          draft("Prefers oat milk flat white, no sugar.", "personal"));

  private List<String> seed() throws Exception {
    List<String> ids = new ArrayList<>();
    try (MemoryService svc = NodeModule.init(home(), null, NodeTestSupport.FAST, Clock.systemUTC())) {
      for (MemoryDraft d : SEED) {
        ids.add(svc.remember(d).id().toString());
      }
    }
    return ids;
  }

  private static List<String> texts(List<RecallHit> hits) {
    return hits.stream().map(h -> h.memory().text()).toList();
  }

  @Test
  void theDecisionComesFirst_filtersHold_andTheIndexIsSealedOnDisk() throws Exception {
    seed();
    try (MemoryService svc = open()) {
      List<RecallHit> hits = svc.recall(RecallQuery.of("which payment provider did we pick?"), ProgressListener.NONE);
      assertTrue(hits.get(0).memory().text().startsWith("We chose Stripe"), texts(hits).toString());
      assertTrue(hits.get(0).vectorRank() >= 1 && hits.get(0).score() > 0);

      RecallQuery workOnly = new RecallQuery("penicillin allergy", 10, List.of("work"), List.of(), null, null, null);
      List<RecallHit> work = svc.recall(workOnly, ProgressListener.NONE);
      assertFalse(work.isEmpty());
      assertTrue(work.stream().allMatch(h -> h.memory().memoryClass().name().equals("work")), texts(work).toString());

      RecallQuery tagged = new RecallQuery("database", 10, List.of(), List.of("infra"), null, null, null);
      assertEquals(1, svc.recall(tagged, ProgressListener.NONE).size());
    }
    assertEquals(List.of(), warnings, "a first build is no warning");
    byte[] onDisk = Files.readAllBytes(home().dir().resolve(Retrieval.FILE));
    String raw = new String(onDisk, StandardCharsets.ISO_8859_1);
    for (String word : List.of("Stripe", "penicillin", "Postgres", "payments", "work")) {
      assertFalse(raw.contains(word), word + " in clear in the index file");
    }
    warnings.clear();
    try (MemoryService svc = open()) {
      assertTrue(svc.recall(RecallQuery.of("allergy to antibiotics"), ProgressListener.NONE).get(0).memory().text().contains("penicillin"));
    }
    assertEquals(List.of(), warnings, "loaded from the snapshot, nothing rebuilt");
  }

  @Test
  void writesWhileTheIndexIsClosedAreCaughtUpThroughTheChangeLog() throws Exception {
    List<String> ids = seed();
    try (MemoryService svc = open()) {
      svc.recall(RecallQuery.of("anything"), ProgressListener.NONE);
    }
    warnings.clear();
    String added;
    try (MemoryService svc = open()) { // no recall: the index stays closed, as in a CLI remember
      added = svc.remember(draft("The office wifi password rotates every Monday.", "work")).id().toString();
      svc.forget(ids.get(0));
      svc.update(ids.get(1), new MemoryPatch("Standup moved to 10:00 on Wednesdays.", null, null, null, null, null, Map.of(), null));
    }
    try (MemoryService svc = open()) {
      assertEquals(added, svc.recall(RecallQuery.of("when does the wifi password change?"), ProgressListener.NONE).get(0).memory().id().toString());
      assertTrue(svc.recall(RecallQuery.of("payment provider"), ProgressListener.NONE).stream().noneMatch(h -> h.memory().id().toString().equals(ids.get(0))));
      assertTrue(svc.recall(RecallQuery.of("standup day"), ProgressListener.NONE).get(0).memory().text().contains("Wednesdays"));
    }
    assertEquals(List.of(), warnings);
  }

  @Test
  void aDamagedOrMissingIndexIsRebuiltWithAWarning_neverServedWrong() throws Exception {
    seed();
    try (MemoryService svc = open()) {
      svc.recall(RecallQuery.of("anything"), ProgressListener.NONE);
    }
    Path file = home().dir().resolve(Retrieval.FILE);
    byte[] good = Files.readAllBytes(file);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x10;
    Files.write(file, bad);
    warnings.clear();
    try (MemoryService svc = open()) {
      assertTrue(svc.recall(RecallQuery.of("which payment provider did we pick?"), ProgressListener.NONE).get(0).memory().text().startsWith("We chose Stripe"));
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("damaged"), warnings.get(0));
    assertNotEquals(List.of(bad.length), List.of(Files.size(file)), "rewritten");

    Files.write(file, new byte[] {1, 2, 3});
    warnings.clear();
    try (MemoryService svc = open()) {
      assertEquals(SEED.size(), svc.recall(new RecallQuery("memory", 100, List.of(), List.of(), null, null, null), ProgressListener.NONE).size());
    }
    assertTrue(warnings.get(0).contains("damaged"), warnings.toString());

    Files.delete(file);
    warnings.clear();
    try (MemoryService svc = open()) {
      assertTrue(svc.recall(RecallQuery.of("birthday"), ProgressListener.NONE).get(0).memory().text().contains("birthday"));
    }
    assertEquals(List.of(), warnings, "a first build is no warning");
  }

  @Test
  void badQueriesAreClearErrors() throws Exception {
    seed();
    try (MemoryService svc = open()) {
      for (RecallQuery q :
          List.of(
              RecallQuery.of(""),
              RecallQuery.of("   "),
              RecallQuery.of("x".repeat(100_000)),
              new RecallQuery("q", 0, List.of(), List.of(), null, null, null),
              new RecallQuery("q", -1, List.of(), List.of(), null, null, null),
              new RecallQuery("q", 100_000, List.of(), List.of(), null, null, null),
              new RecallQuery("q", 5, List.of("nosuchclass"), List.of(), null, null, null),
              new RecallQuery("q", 5, List.of("Not A Class"), List.of(), null, null, null))) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> svc.recall(q, ProgressListener.NONE));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
      }
      assertEquals(SEED.size(), svc.status().count(), "nothing changed");
    }
  }

  @Test
  void theSameFactIsNotStoredTwice_butAnotherNumberIsAnotherFact() throws Exception {
    seed();
    try (MemoryService svc = open()) {
      Remembered first = svc.remember(draft("The free-tier limit is 60 requests per minute.", "work"), false);
      assertFalse(first.duplicate());
      Remembered again = svc.remember(draft("the free tier limit is 60 requests per minute", "work"), false);
      assertTrue(again.duplicate());
      assertEquals(first.memory().id(), again.memory().id());
      Remembered hundred = svc.remember(draft("The free-tier limit is 100 requests per minute.", "work"), false);
      assertFalse(hundred.duplicate(), "a different number is a different fact");
      assertFalse(svc.remember(draft("I am not allergic to penicillin.", "health"), false).duplicate());
      assertTrue(svc.remember(draft("I am allergic to penicillin", "health"), false).duplicate());
      assertFalse(svc.remember(draft("I am allergic to penicillin", "work"), false).duplicate(), "other class");
      Remembered forced = svc.remember(draft("The free-tier limit is 60 requests per minute.", "work"), true);
      assertFalse(forced.duplicate());
      assertNotEquals(first.memory().id(), forced.memory().id());
      assertEquals(SEED.size() + 5, svc.status().count());
    }
  }

  @Test
  void importSkipsFactsAlreadyStored_unlessAllowed() throws Exception {
    seed();
    String lines =
        "{\"text\":\"I am allergic to penicillin.\",\"class\":\"health\"}\n"
            + "{\"text\":\"Bought a new road bike.\",\"class\":\"personal\"}\n"
            + "{\"text\":\"bought a new road bike\",\"class\":\"personal\"}\n";
    try (MemoryService svc = open()) {
      byte[] b = lines.getBytes(StandardCharsets.UTF_8);
      ImportSummary s = svc.importJsonLines(new java.io.ByteArrayInputStream(b), b.length, ProgressListener.NONE, false);
      assertEquals(1, s.imported());
      assertEquals(Map.of("same fact already stored", 2L), s.skippedReasons());
      assertEquals(1, svc.recall(RecallQuery.of("bicycle"), ProgressListener.NONE).stream().filter(h -> h.memory().text().contains("bike")).count());
      ImportSummary all = svc.importJsonLines(new java.io.ByteArrayInputStream(b), b.length, ProgressListener.NONE, true);
      assertEquals(3, all.imported());
    }
  }

  /** An OpenAI-compatible endpoint on 127.0.0.1 whose toy model hashes words into 32 dimensions. */
  private static com.sun.net.httpserver.HttpServer toyEndpoint() throws java.io.IOException {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/embeddings",
        ex -> {
          var req = MemoryJson.MAPPER.readTree(ex.getRequestBody());
          var out = MemoryJson.MAPPER.createObjectNode();
          var data = out.putArray("data");
          for (int i = 0; i < req.get("input").size(); i++) {
            float[] v = new float[32];
            for (String w : req.get("input").get(i).asText().toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
              if (!w.isEmpty()) {
                v[Math.floorMod(w.hashCode(), 32)] += 1;
              }
            }
            var arr = data.addObject().put("index", i).putArray("embedding");
            for (float f : v) {
              arr.add(f);
            }
          }
          byte[] b = out.toString().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    return server;
  }

  @Test
  void changingTheModelInConfigRebuildsTheIndex_andABadConfigIsAClearError() throws Exception {
    seed();
    try (MemoryService svc = open()) {
      svc.recall(RecallQuery.of("anything"), ProgressListener.NONE);
    }
    com.sun.net.httpserver.HttpServer server = toyEndpoint();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/embeddings";
      Files.writeString(
          home().dir().resolve("config.json"),
          "{\"embedding\": {\"provider\": \"openai-compatible\", \"url\": \"" + url + "\", \"model\": \"toy\"}}");
      warnings.clear();
      try (MemoryService svc = open()) {
        List<RecallHit> hits = svc.recall(RecallQuery.of("penicillin allergic"), ProgressListener.NONE);
        assertTrue(hits.get(0).memory().text().contains("penicillin"), texts(hits).toString());
      }
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("toy") && warnings.get(0).contains("rebuilding"), warnings.get(0));
      warnings.clear();
      try (MemoryService svc = open()) {
        svc.recall(RecallQuery.of("rent"), ProgressListener.NONE);
      }
      assertEquals(List.of(), warnings, "the rebuilt index is the toy model's now");
    } finally {
      server.stop(0);
    }
    Files.writeString(home().dir().resolve("config.json"), "{\"embedding\": {\"provider\": \"magic\"}}");
    NodeException e = assertThrows(NodeException.class, this::open);
    assertTrue(e.getMessage().contains("unknown embedding provider"), e.getMessage());
    Files.writeString(home().dir().resolve("config.json"), "{\"embeding\": {}}");
    e = assertThrows(NodeException.class, this::open);
    assertTrue(e.getMessage().contains("unknown setting \"embeding\""), e.getMessage());
    Files.writeString(home().dir().resolve("config.json"), "{not json");
    assertThrows(InvalidInputException.class, this::open);
  }

  @Test
  void reindexRebuildsEverything() throws Exception {
    seed();
    try (MemoryService svc = open()) {
      List<long[]> progress = new ArrayList<>();
      assertEquals(SEED.size(), svc.reindex((phase, done, total) -> progress.add(new long[] {done, total})));
      assertEquals(SEED.size(), progress.get(progress.size() - 1)[0]);
      assertTrue(svc.recall(RecallQuery.of("birthday"), ProgressListener.NONE).get(0).memory().text().contains("birthday"));
    }
  }
}
