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
 * touched, how many memories it returned or changed (never any text) and, when it is not simply
 * the route's name, the operation (an MCP tool: {@code mcp:recall}) and its outcome as an HTTP
 * status (a tool refused inside a successful JSON-RPC answer: 403). Immutable.
 */
record Reply(
    int status, byte[] body, String contentType, SortedSet<String> classes, int count, String operation, int outcome) {
  static final String JSON = "application/json; charset=utf-8";

  /** A reply recorded under its route's name. */
  Reply(int status, byte[] body, String contentType, SortedSet<String> classes, int count) {
    this(status, body, contentType, classes, count, "", status);
  }

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
