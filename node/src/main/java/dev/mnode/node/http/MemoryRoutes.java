package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.ListQuery;
import dev.mnode.node.MemoryDraft;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryPatch;
import dev.mnode.node.MemoryService;
import dev.mnode.node.NodeException;
import dev.mnode.node.NodeStatus;
import dev.mnode.node.NotFoundException;
import dev.mnode.node.ProgressListener;
import dev.mnode.node.RecallHit;
import dev.mnode.node.RecallQuery;
import dev.mnode.node.Remembered;
import dev.mnode.node.access.Op;
import dev.mnode.node.access.Scope;
import dev.mnode.store.Memory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The {@code /v1} routes over a {@link MemoryService}, each limited to the caller's {@link Scope}:
 * a class outside it is refused when named (403) and left out when not; a memory of such a class
 * is answered as if it did not exist (404), so a token learns nothing about other classes. Runs
 * on the API's worker threads (it blocks on the store). Thread-safe.
 */
final class MemoryRoutes {
  static final int MAX_PAGE = 1_000;
  /** Deepest page: offset and page together stay within {@link ListQuery#MAX_LIMIT}. */
  static final int MAX_OFFSET = ListQuery.MAX_LIMIT - MAX_PAGE - 1;
  private static final Set<String> DRAFT =
      Set.of("text", "class", "tags", "importance", "source", "pinned", "metadata", "links", "allow_duplicate");
  private static final Set<String> PATCH =
      Set.of("text", "class", "tags", "importance", "source", "pinned", "metadata", "links");
  private static final Set<String> RECALL = Set.of("query", "k", "classes", "tags", "source", "since", "until", "archived");
  private static final Set<String> LIST = Set.of("class", "tag", "source", "since", "until", "limit", "offset", "archived");

  private final MemoryService service;

  MemoryRoutes(MemoryService service) {
    this.service = service;
  }

  /** Answers route {@code name}; {@code body} is the parsed JSON body of POST and PATCH. */
  Reply handle(String name, Scope scope, Map<String, String> params, Map<String, List<String>> query, @Nullable JsonNode body)
      throws ApiError, NodeException {
    if (!name.equals("list") && !query.isEmpty()) {
      throw ApiError.badRequest("unknown_parameter", "this route takes no query parameters");
    }
    return switch (name) {
      case "remember" -> remember(scope, Body.of(require(body), DRAFT));
      case "list" -> list(scope, query);
      case "get" -> get(scope, params.get("id"));
      case "update" -> update(scope, params.get("id"), Body.of(require(body), PATCH));
      case "forget" -> forget(scope, params.get("id"));
      case "recall" -> recall(scope, Body.of(require(body), RECALL));
      case "classes" -> classes(scope);
      case "status" -> status(scope);
      default -> throw new IllegalArgumentException("not a memory route: " + name);
    };
  }

  private Reply remember(Scope scope, Body b) throws ApiError, NodeException {
    need(scope, Op.WRITE);
    String text = b.string("text");
    if (text == null) {
      throw ApiError.badRequest("invalid_input", "\"text\" is required");
    }
    String memoryClass = b.string("class");
    if (memoryClass != null) {
      writable(scope, memoryClass);
    }
    String source = b.string("source");
    MemoryDraft d =
        new MemoryDraft(
            text,
            memoryClass,
            orEmpty(b.strings("tags")),
            b.number("importance"),
            source != null ? source : scope.allClasses() ? null : scope.app(),
            Boolean.TRUE.equals(b.bool("pinned")),
            b.stringMap("metadata") == null ? Map.of() : b.stringMap("metadata"),
            orEmpty(b.strings("links")));
    // Without a class the node proposes one, among the classes this token may write only.
    List<String> writable = new ArrayList<>();
    if (memoryClass == null && !scope.allClasses()) {
      for (String c : service.classes()) {
        if (scope.allows(Op.WRITE, c)) {
          writable.add(c);
        }
      }
      if (writable.isEmpty()) {
        throw ApiError.forbidden("this token may not write any class");
      }
    }
    Remembered r =
        service.remember(d, Boolean.TRUE.equals(b.bool("allow_duplicate")), memoryClass != null || scope.allClasses() ? null : writable);
    ObjectNode o = MemoryJson.remembered(r);
    return Reply.json(r.duplicate() ? 200 : 201, o, Set.of(r.memory().memoryClass().name()), 1);
  }

  private Reply get(Scope scope, String id) throws ApiError, NodeException {
    need(scope, Op.READ);
    Memory m = visible(scope, id);
    return Reply.json(200, MemoryJson.toJson(m), Set.of(m.memoryClass().name()), 1);
  }

  private Reply list(Scope scope, Map<String, List<String>> query) throws ApiError, NodeException {
    need(scope, Op.READ);
    for (String k : query.keySet()) {
      if (!LIST.contains(k)) {
        throw ApiError.badRequest("unknown_parameter", "unknown parameter \"" + k + "\" (known: " + String.join(", ", new TreeSet<>(LIST)) + ")");
      }
    }
    List<String> asked = query.getOrDefault("class", List.of());
    List<String> classes = readable(scope, asked);
    int limit = intParam(query, "limit", ListQuery.DEFAULT_LIMIT, 1, MAX_PAGE);
    int offset = intParam(query, "offset", 0, 0, MAX_OFFSET);
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    ArrayNode page = o.putArray("memories");
    if (classes.isEmpty() && !scope.allClasses()) {
      o.putNull("next_offset");
      return Reply.json(200, o, Set.of(), 0);
    }
    Instant since = single(query, "since") == null ? null : Body.instant("since", single(query, "since"));
    Instant until = single(query, "until") == null ? null : Body.instant("until", single(query, "until"));
    List<Memory> found =
        service.list(new ListQuery(
            classes, single(query, "tag"), single(query, "source"), since, until, offset + limit + 1,
            "true".equals(single(query, "archived"))));
    Set<String> touched = new TreeSet<>();
    for (int i = offset; i < Math.min(found.size(), offset + limit); i++) {
      Memory m = found.get(i);
      page.add(MemoryJson.toJson(m));
      touched.add(m.memoryClass().name());
    }
    if (found.size() > offset + limit) {
      o.put("next_offset", offset + limit);
    } else {
      o.putNull("next_offset");
    }
    return Reply.json(200, o, touched, page.size());
  }

  private Reply update(Scope scope, String id, Body b) throws ApiError, NodeException {
    // The answer holds the whole memory, so changing one needs read as well as write.
    need(scope, Op.READ);
    need(scope, Op.WRITE);
    String newClass = b.string("class");
    MemoryPatch p =
        new MemoryPatch(
            b.string("text"),
            newClass,
            b.strings("tags"),
            b.number("importance"),
            b.string("source"),
            b.bool("pinned"),
            b.stringMap("metadata") == null ? Map.of() : b.stringMap("metadata"),
            b.strings("links"));
    if (p.isEmpty()) {
      throw ApiError.badRequest("invalid_input", "nothing to update: give at least one field to change");
    }
    Memory old = visible(scope, id);
    writable(scope, old.memoryClass().name());
    if (newClass != null) {
      writable(scope, newClass);
    }
    Memory m = service.update(id, p);
    Set<String> touched = new TreeSet<>(List.of(old.memoryClass().name(), m.memoryClass().name()));
    return Reply.json(200, MemoryJson.toJson(m), touched, 1);
  }

  private Reply forget(Scope scope, String id) throws ApiError, NodeException {
    need(scope, Op.WRITE);
    Memory m = find(scope, id);
    writable(scope, m.memoryClass().name());
    service.forget(id);
    return Reply.noContent(Set.of(m.memoryClass().name()), 1);
  }

  private Reply recall(Scope scope, Body b) throws ApiError, NodeException {
    need(scope, Op.READ);
    String text = b.string("query");
    if (text == null) {
      throw ApiError.badRequest("invalid_input", "\"query\" is required");
    }
    Integer k = b.integer("k");
    List<String> classes = readable(scope, orEmpty(b.strings("classes")));
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    ArrayNode results = o.putArray("results");
    if (classes.isEmpty() && !scope.allClasses()) {
      return Reply.json(200, o, Set.of(), 0);
    }
    RecallQuery q =
        new RecallQuery(
            text, k == null ? RecallQuery.DEFAULT_K : k, classes, orEmpty(b.strings("tags")), b.string("source"),
            b.instant("since"), b.instant("until"), Boolean.TRUE.equals(b.bool("archived")));
    Set<String> touched = new TreeSet<>();
    for (RecallHit h : service.recall(q, ProgressListener.NONE)) {
      // The filter already holds the scope; this is the second lock on the same door.
      if (scope.covers(h.memory().memoryClass().name())) {
        results.add(ApiJson.hit(h));
        touched.add(h.memory().memoryClass().name());
      }
    }
    return Reply.json(200, o, touched, results.size());
  }

  private Reply classes(Scope scope) throws ApiError, NodeException {
    need(scope, Op.READ);
    NodeStatus s = scoped(scope, service.status());
    ObjectNode o = MemoryJson.MAPPER.createObjectNode();
    ArrayNode a = o.putArray("classes");
    s.classes().forEach((c, n) -> a.addObject().put("name", c).put("count", n));
    return Reply.json(200, o, s.classes().keySet(), a.size());
  }

  private Reply status(Scope scope) throws ApiError, NodeException {
    need(scope, Op.READ);
    NodeStatus s = scoped(scope, service.status());
    return Reply.json(200, ApiJson.status(s), s.classes().keySet(), 0);
  }

  /** The status as the scope may see it: only its classes, and the count of those. */
  private static NodeStatus scoped(Scope scope, NodeStatus s) {
    if (scope.allClasses()) {
      return s;
    }
    SortedMap<String, Long> classes = new TreeMap<>();
    s.classes().forEach((c, n) -> {
      if (scope.covers(c)) {
        classes.put(c, n);
      }
    });
    long count = classes.values().stream().mapToLong(Long::longValue).sum();
    SortedMap<String, String> digests = new TreeMap<>();
    s.digests().forEach((c, d) -> {
      if (scope.covers(c)) {
        digests.put(c, d);
      }
    });
    return new NodeStatus(
        s.home(), s.vaultId(), s.deviceId(), s.schema(), s.created(), count, classes, s.diskBytes(), s.passphraseProtected(),
        dev.mnode.node.sync.StateDigests.combine(digests), digests, scope.allClasses() ? s.peers() : List.of(),
        scope.allClasses() ? s.relays() : List.of());
  }

  /** The memory {@code id} if the scope reads its class; otherwise, as for a missing one, 404. */
  private Memory visible(Scope scope, String id) throws NodeException {
    Memory m = find(scope, id);
    if (!scope.allows(Op.READ, m.memoryClass().name())) {
      throw new NotFoundException(id);
    }
    return m;
  }

  /** The memory {@code id} if its class is in the scope; otherwise, as for a missing one, 404. */
  private Memory find(Scope scope, String id) throws NodeException {
    Memory m = service.get(id);
    if (!scope.covers(m.memoryClass().name())) {
      throw new NotFoundException(id);
    }
    return m;
  }

  /**
   * The classes a read may search: those asked for, each of which must be in the scope (403
   * otherwise), or when none are asked for, every class of the scope that exists. Empty for the
   * owner means every class.
   */
  private List<String> readable(Scope scope, List<String> asked) throws ApiError, NodeException {
    for (String c : asked) {
      if (!scope.allows(Op.READ, c)) {
        throw ApiError.forbidden("this token may not read class \"" + c + "\"");
      }
    }
    if (!asked.isEmpty() || scope.allClasses()) {
      return List.copyOf(new LinkedHashSet<>(asked));
    }
    List<String> out = new ArrayList<>();
    for (String c : service.classes()) {
      if (scope.covers(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static void writable(Scope scope, String memoryClass) throws ApiError {
    if (!scope.allows(Op.WRITE, memoryClass)) {
      throw ApiError.forbidden("this token may not write class \"" + memoryClass + "\"");
    }
  }

  private static void need(Scope scope, Op op) throws ApiError {
    if (!scope.allows(op)) {
      throw ApiError.forbidden("this token may not " + op.wire());
    }
  }

  private static JsonNode require(@Nullable JsonNode body) throws ApiError {
    if (body == null) {
      throw ApiError.badRequest("invalid_input", "a JSON body is required");
    }
    return body;
  }

  private static @Nullable String single(Map<String, List<String>> query, String key) throws ApiError {
    List<String> v = query.get(key);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.size() > 1) {
      throw ApiError.badRequest("invalid_input", "parameter \"" + key + "\" given more than once");
    }
    return v.get(0);
  }

  private static int intParam(Map<String, List<String>> query, String key, int fallback, int min, int max) throws ApiError {
    String s = single(query, key);
    if (s == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(s);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.badRequest("invalid_input", "parameter \"" + key + "\" must be " + min + ".." + max + ", got " + s);
  }

  private static List<String> orEmpty(@Nullable List<String> l) {
    return l == null ? List.of() : l;
  }
}
