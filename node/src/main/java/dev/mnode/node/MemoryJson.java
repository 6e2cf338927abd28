package dev.mnode.node;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.store.Memory;
import dev.mnode.store.MemoryClass;
import dev.mnode.store.MemoryId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON form of a memory, used by {@code --json} output and by JSON Lines import and export:
 *
 * <pre>
 * {"id": "0192...", "text": "...", "class": "work", "tags": ["a"], "importance": 0.5,
 *  "source": "cli", "created": "2026-11-26T10:00:00.123Z", "updated": "...", "pinned": false,
 *  "metadata": {"k": "v"}, "links": ["0192..."]}
 * </pre>
 *
 * Times are ISO-8601 instants in UTC with as many fraction digits as they carry. Thread-safe.
 */
public final class MemoryJson {
  /**
   * Shared mapper: strict on input (duplicate keys and trailing tokens rejected); writes characters
   * outside the Basic Multilingual Plane (emoji) as UTF-8, not as escaped surrogate pairs.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private static final Set<String> FIELDS =
      Set.of(
          "id", "text", "class", "tags", "importance", "source", "created", "updated", "pinned",
          "metadata", "links");

  private MemoryJson() {}

  /** Returns the JSON object of {@code m}, fields in model order. */
  public static ObjectNode toJson(Memory m) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", m.id().toString());
    o.put("text", m.text());
    o.put("class", m.memoryClass().name());
    ArrayNode tags = o.putArray("tags");
    m.tags().forEach(tags::add);
    o.put("importance", m.importance());
    o.put("source", m.source());
    o.put("created", m.created().toString());
    o.put("updated", m.updated().toString());
    o.put("pinned", m.pinned());
    ObjectNode meta = o.putObject("metadata");
    m.metadata().forEach(meta::put);
    ArrayNode links = o.putArray("links");
    m.links().forEach(l -> links.add(l.toString()));
    return o;
  }

  /**
   * Reads a memory from an import object. Only {@code text} is required: the class defaults to
   * {@code other}, importance to 0.5, source to empty, the id is generated and times are {@code
   * now} when absent ({@code updated} defaults to {@code created}). Present values are kept
   * exactly.
   *
   * @throws IllegalArgumentException with a message naming the bad field
   */
  public static Memory fromJson(JsonNode node, MemoryId newId, Instant now) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown field \"" + f + "\"");
      }
    }
    String text = string(node, "text", null);
    if (text == null) {
      throw new IllegalArgumentException("\"text\" is required");
    }
    String id = string(node, "id", null);
    Instant created = instant(node, "created", now);
    Instant updated = instant(node, "updated", created);
    return new Memory(
        id == null ? newId : MemoryId.parse(id),
        text,
        new MemoryClass(string(node, "class", MemoryClass.OTHER.name())),
        strings(node, "tags"),
        number(node, "importance", Memory.DEFAULT_IMPORTANCE),
        string(node, "source", ""),
        created,
        updated,
        bool(node, "pinned"),
        stringMap(node, "metadata"),
        strings(node, "links").stream().map(MemoryId::parse).toList());
  }

  private static String string(JsonNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  private static double number(JsonNode node, String field, double fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a number");
    }
    return v.doubleValue();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("\"" + field + "\" must be true or false");
    }
    return v.booleanValue();
  }

  private static Instant instant(JsonNode node, String field, Instant fallback) {
    String s = string(node, field, null);
    if (s == null) {
      return fallback;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\"" + field + "\" is not an ISO-8601 instant such as 2026-11-26T10:00:00Z: " + s);
    }
  }

  private static List<String> strings(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }

  private static java.util.SortedMap<String, String> stringMap(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return new TreeMap<>();
    }
    if (!v.isObject()) {
      throw new IllegalArgumentException("\"" + field + "\" must be an object of strings");
    }
    java.util.SortedMap<String, String> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "\"" + field + "\" value of \"" + e.getKey() + "\" must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /**
   * A node's status as JSON, as {@code mnode status --json} and {@code GET /v1/status} print it:
   * home, vault, device, schema, created, count, classes (name to count), disk_bytes, passphrase,
   * digest and digests (class name to hex), peers and relays (what a running node knows of each).
   */
  public static com.fasterxml.jackson.databind.node.ObjectNode status(NodeStatus s) {
    var o = MAPPER.createObjectNode();
    o.put("home", s.home().toString());
    o.put("vault", s.vaultId());
    o.put("device", s.deviceId());
    o.put("schema", s.schema());
    o.put("created", s.created().toString());
    o.put("count", s.count());
    var classes = o.putObject("classes");
    s.classes().forEach(classes::put);
    o.put("disk_bytes", s.diskBytes());
    o.put("passphrase", s.passphraseProtected());
    o.put("digest", s.digest());
    var digests = o.putObject("digests");
    s.digests().forEach(digests::put);
    o.set("peers", dev.mnode.node.peer.VaultJson.peers(s.peers()));
    o.set("relays", dev.mnode.node.relay.RelayStatus.json(s.relays()));
    return o;
  }

  /**
   * What remember prints: the memory object plus {@code duplicate}, {@code class_source} ({@code
   * user} when the writer named the class, {@code auto} when the node chose it, {@code review}),
   * {@code confidence} (0 to 1; 1 when a person chose the class), {@code review} (whether the
   * class waits for review) and {@code redactions}, an array of {@code {"type", "count"}} for
   * what redaction replaced (empty when nothing).
   */
  public static com.fasterxml.jackson.databind.node.ObjectNode remembered(Remembered r) {
    var o = toJson(r.memory()).put("duplicate", r.duplicate());
    o.put("class_source", dev.mnode.node.classify.ClassMetadata.source(r.memory()));
    o.put("confidence", dev.mnode.node.classify.ClassMetadata.confidence(r.memory()));
    o.put("review", dev.mnode.node.classify.ClassMetadata.flagged(r.memory()));
    var a = o.putArray("redactions");
    r.redactions().forEach(f -> a.addObject().put("type", f.type().id()).put("count", f.count()));
    return o;
  }

  /** Reads the {@code redactions} array {@link #remembered} writes. */
  public static java.util.List<dev.mnode.node.guard.Finding> redactions(JsonNode o) {
    java.util.List<dev.mnode.node.guard.Finding> out = new java.util.ArrayList<>();
    for (JsonNode f : o.path("redactions")) {
      String id = f.path("type").asText();
      for (dev.mnode.node.guard.RedactionType t : dev.mnode.node.guard.RedactionType.values()) {
        if (t.id().equals(id)) {
          out.add(new dev.mnode.node.guard.Finding(t, f.path("count").asInt()));
        }
      }
    }
    return out;
  }
}
