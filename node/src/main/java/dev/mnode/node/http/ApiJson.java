package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeStatus;
import dev.mnode.node.RecallHit;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The JSON of API responses, written by the server and read back by {@link HttpMemoryService}, so
 * both ends share one definition. Memories use {@link MemoryJson}. Stateless.
 */
final class ApiJson {
  private ApiJson() {}

  static ObjectNode error(String code, String message) {
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    ObjectNode e = o.putObject("error");
    e.put("code", code);
    e.put("message", message);
    return o;
  }

  /** A recall hit: the memory's fields, {@code score} and {@code explain} with every part. */
  static ObjectNode hit(RecallHit h) {
    ObjectNode o = MemoryJson.toJson(h.memory());
    o.put("score", h.score());
    ObjectNode e = o.putObject("explain");
    e.put("fused", h.fused());
    e.put("vector_rank", h.vectorRank());
    e.put("vector_score", h.vectorScore());
    e.put("text_rank", h.textRank());
    e.put("text_score", h.textScore());
    e.put("recency", h.recency());
    e.put("importance", h.importance());
    return o;
  }

  static RecallHit hit(JsonNode o) {
    JsonNode e = o.path("explain");
    ObjectNode m = ((ObjectNode) o).deepCopy();
    m.remove("score");
    m.remove("explain");
    return new RecallHit(
        memory(m),
        o.path("score").asDouble(),
        e.path("fused").asDouble(),
        e.path("vector_rank").asInt(),
        e.path("vector_score").asDouble(),
        e.path("text_rank").asInt(),
        e.path("text_score").asDouble(),
        e.path("recency").asDouble(),
        e.path("importance").asDouble());
  }

  static Memory memory(JsonNode o) {
    ObjectNode m = ((ObjectNode) o).deepCopy();
    // What remember adds to the memory object; the memory's metadata holds the same facts.
    m.remove(java.util.List.of("duplicate", "redactions", "class_source", "confidence", "review"));
    return MemoryJson.fromJson(m, MemoryId.parse(m.path("id").asText()), Instant.EPOCH);
  }

  static ObjectNode status(NodeStatus s) {
    return MemoryJson.status(s);
  }

  static NodeStatus status(JsonNode o) {
    SortedMap<String, Long> classes = new TreeMap<>();
    o.path("classes").fields().forEachRemaining(e -> classes.put(e.getKey(), e.getValue().asLong()));
    SortedMap<String, String> digests = new TreeMap<>();
    o.path("digests").fields().forEachRemaining(e -> digests.put(e.getKey(), e.getValue().asText()));
    return new NodeStatus(
        Path.of(o.path("home").asText()),
        o.path("vault").asText(),
        o.path("device").asText(),
        o.path("schema").asInt(),
        Instant.parse(o.path("created").asText()),
        o.path("count").asLong(),
        classes,
        o.path("disk_bytes").asLong(),
        o.path("passphrase").asBoolean(),
        o.path("digest").asText(),
        digests,
        peers(o.path("peers")),
        dev.mnode.node.relay.RelayStatus.fromJson(o.path("relays")));
  }

  private static List<dev.mnode.node.peer.PeerStatus> peers(JsonNode a) {
    List<dev.mnode.node.peer.PeerStatus> out = new java.util.ArrayList<>();
    a.forEach(p -> out.add(dev.mnode.node.peer.VaultJson.peer(p)));
    return out;
  }

  static ArrayNode memories(List<Memory> ms) {
    ArrayNode a = MemoryJson.MAPPER.createArrayNode();
    ms.forEach(m -> a.add(MemoryJson.toJson(m)));
    return a;
  }

  static List<Memory> memories(JsonNode a) {
    List<Memory> out = new ArrayList<>(a.size());
    a.forEach(m -> out.add(memory(m)));
    return out;
  }
}
