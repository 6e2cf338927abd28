package dev.mnode.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.MemoryJson;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a route answers: status, body and content type, and for the audit log the classes it
 * touched and how many memories it returned or changed (never any text). Immutable.
 */
record Reply(int status, byte[] body, String contentType, SortedSet<String> classes, int count) {
  static final String JSON = "application/json; charset=utf-8";

  Reply {
    classes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(classes));
  }

  static Reply json(int status, JsonNode node, Set<String> classes, int count) {
    try {
      return new Reply(status, MemoryJson.MAPPER.writeValueAsBytes(node), JSON, new TreeSet<>(classes), count);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static Reply json(int status, JsonNode node) {
    return json(status, node, Set.of(), 0);
  }

  static Reply text(String contentType, String text) {
    return new Reply(200, text.getBytes(StandardCharsets.UTF_8), contentType, new TreeSet<>(), 0);
  }

  static Reply noContent(Set<String> classes, int count) {
    return new Reply(204, new byte[0], JSON, new TreeSet<>(classes), count);
  }

  static Reply error(ApiError e) {
    return json(e.status(), ApiJson.error(e.code(), e.getMessage()));
  }
}
