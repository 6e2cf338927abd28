package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bge-small runs offline, in process, instructs its queries, and places meaning near meaning. */
class BgeSmallEmbedderTest {
  @Test
  @SuppressWarnings("removal")
  void loadsAndEmbeds_withoutOpeningAnyConnection_andFindsTheMeaning() throws Exception {
    List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    SecurityManager recorder =
        new SecurityManager() {
          @Override
          public void checkPermission(Permission perm) {}

          @Override
          public void checkPermission(Permission perm, Object context) {}

          @Override
          public void checkConnect(String host, int port) {
            attempts.add(host + ":" + port);
          }

          @Override
          public void checkConnect(String host, int port, Object context) {
            attempts.add(host + ":" + port);
          }
        };
    List<String> memories =
        List.of(
            "We chose Stripe over Adyen for payments: better API, EU coverage, lower fees.",
            "Standup moved to 9:30 on Tuesdays.",
            "I am allergic to penicillin.",
            "The staging database runs Postgres 16 with nightly backups.",
            "My daughter's birthday is on the 3rd of May.");
    String question = "which payment provider did we pick?";
    List<float[]> vectors;
    float[] query;
    float[] plain;
    Embedder e;
    System.setSecurityManager(recorder);
    try {
      e = IndexModule.embedder("bge-small");
      vectors = e.embed(memories);
      query = e.embedQueries(List.of(question)).get(0);
      plain = e.embed(List.of(question)).get(0);
    } finally {
      System.setSecurityManager(null);
    }
    assertEquals(List.of(), attempts, "network attempts while loading or embedding");
    assertEquals(384, e.dimensions());
    assertTrue(e.modelId().startsWith("bge-small-en-v1.5-q/"), e.modelId());
    assertNotEquals(1.0, Vectors.dot(query, plain), 1e-3, "a query is embedded with its instruction");
    int best = 0;
    for (int i = 0; i < vectors.size(); i++) {
      assertEquals(1.0, Vectors.dot(vectors.get(i), vectors.get(i)), 1e-4, "unit length");
      if (Vectors.dot(query, vectors.get(i)) > Vectors.dot(query, vectors.get(best))) {
        best = i;
      }
    }
    assertEquals(0, best);
    assertTrue(Vectors.dot(query, vectors.get(0)) > Vectors.dot(query, vectors.get(2)) + 0.1);
  }

  @Test
  void embedder_namesTheDefaultAndRefusesUnknownModels() {
    assertEquals(OnnxEmbedder.MODEL_ID, IndexModule.embedder("minilm").modelId());
    IllegalArgumentException x =
        assertThrows(IllegalArgumentException.class, () -> IndexModule.embedder("gpt"));
    assertTrue(x.getMessage().contains("gpt"), x.getMessage());
  }
}
