package dev.mnode.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextIndexTest {
  @Test
  void search_stemsAndDropsStopWords_bestFirst() throws Exception {
    try (TextIndex t = new TextIndex()) {
      t.put("a", "We chose Stripe over Adyen for payments");
      t.put("b", "Standup moved to 9:30 on Tuesdays");
      t.put("c", "The payment provider sends a monthly invoice");
      List<Hit> hits = t.search("which payment providers did we choose?", 10);
      assertEquals("c", hits.get(0).id(), hits.toString());
      assertTrue(hits.stream().anyMatch(h -> h.id().equals("a")), "payments ~ payment, choose ~ chose? " + hits);
      assertTrue(hits.stream().noneMatch(h -> h.id().equals("b")), hits.toString());
      assertEquals(List.of(), t.search("the of and", 10));
    }
  }

  @Test
  void put_replaces_andRemove_removes() throws Exception {
    try (TextIndex t = new TextIndex()) {
      t.put("a", "kafka latency");
      t.put("a", "postgres vacuum");
      assertEquals(List.of(), t.search("kafka", 10));
      assertEquals("a", t.search("postgres", 10).get(0).id());
      assertEquals(1, t.size());
      t.remove("a");
      assertEquals(List.of(), t.search("postgres", 10));
      assertEquals(0, t.size());
    }
  }

  @Test
  void anyUserText_isAValidQuery() throws Exception {
    try (TextIndex t = new TextIndex()) {
      t.put("a", "a (strange) [text] with AND OR NOT: \"quotes\" and * wildcards?");
      for (String q : List.of("(", "\"", "AND OR NOT", "*", "text:foo", "a\\b", "~2", "")) {
        t.search(q, 5);
      }
      assertEquals("a", t.search("strange wildcards", 5).get(0).id());
    }
  }
}
