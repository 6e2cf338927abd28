package dev.mnode.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnode.node.aging.AgingSettings;
import dev.mnode.node.aging.ChatSummarizer;
import dev.mnode.node.aging.CompactReport;
import dev.mnode.node.aging.Compactor;
import dev.mnode.store.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Summaries through a real OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM). Runs only
 * when {@code MNODE_TEST_SUMMARIZE_ENDPOINT} (for example {@code http://127.0.0.1:11434/v1}) and
 * {@code MNODE_TEST_SUMMARIZE_MODEL} are set, and is skipped otherwise: the build machine runs no
 * chat model, and these tests use no stand-in for one. Without an endpoint, {@link AgingTest}
 * proves that nothing is summarized, and the cli's NoNetworkTest that nothing connects.
 */
@EnabledIfEnvironmentVariable(named = "MNODE_TEST_SUMMARIZE_ENDPOINT", matches = "https?://.+")
@EnabledIfEnvironmentVariable(named = "MNODE_TEST_SUMMARIZE_MODEL", matches = ".+")
class CompactSummarizeLiveTest {
  @TempDir Path tmp;

  private static String endpoint() {
    return System.getenv("MNODE_TEST_SUMMARIZE_ENDPOINT");
  }

  private static String model() {
    return System.getenv("MNODE_TEST_SUMMARIZE_MODEL");
  }

  @Test
  void aGroupOfOldNearDuplicates_becomesOneSummaryOfItsClass_linkingItsArchivedSources() throws Exception {
    TestClock clock = new TestClock("2026-01-01T00:00:00Z");
    Home home = new Home(tmp.resolve("home"));
    List<String> sources;
    try (MemoryService svc = NodeModule.init(home, null, NodeTestSupport.FAST, clock)) {
      sources = List.of(
          svc.remember(draft("We chose Stripe for card payments.")).id().toString(),
          svc.remember(draft("We chose Stripe for our card payments, for its API.")).id().toString(),
          svc.remember(draft("We have chosen Stripe for card payments.")).id().toString());
    }
    Files.writeString(home.dir().resolve("config.json"),
        "{\"summarize\": {\"endpoint\": \"" + endpoint() + "\", \"model\": \"" + model() + "\"}}");
    clock.advance(Duration.ofDays(365));
    try (MemoryService svc = NodeModule.open(home, PassphraseSource.NONE, clock)) {
      CompactReport r = NodeModule.compact(svc, false, ProgressListener.NONE);
      assertEquals(List.of(), r.failures());
      assertEquals(1, r.groups().size());
      String summaryId = r.summaryIds().get(0).orElseThrow();
      Memory summary = svc.get(summaryId);
      assertEquals("work", summary.memoryClass().name());
      assertEquals(sources, summary.links().stream().map(Object::toString).toList());
      assertEquals("3", summary.metadata().get(Compactor.SUMMARY_OF));
      assertTrue(summary.text().toLowerCase(java.util.Locale.ROOT).contains("stripe"), summary.text());
      assertFalse(Compactor.isArchived(summary));
      for (String id : sources) {
        assertTrue(Compactor.isArchived(svc.get(id)), id);
      }
    }
  }

  @Test
  void chatSummarizer_answersWithOneNote() throws Exception {
    AgingSettings s = AgingSettings.parse(
        dev.mnode.node.MemoryJson.MAPPER.readTree("{}").path("aging"),
        dev.mnode.node.MemoryJson.MAPPER.readTree(
            "{\"endpoint\": \"" + endpoint() + "\", \"model\": \"" + model() + "\"}"));
    String text = new ChatSummarizer(s.summarize().orElseThrow(), null)
        .summarize("health", List.of("I am allergic to penicillin.", "Allergic to penicillin (rash)."));
    assertTrue(text.toLowerCase(java.util.Locale.ROOT).contains("penicillin"), text);
  }

  private static MemoryDraft draft(String text) {
    return new MemoryDraft(text, "work", List.of(), 0.5, null, false, Map.of(), List.of());
  }
}
