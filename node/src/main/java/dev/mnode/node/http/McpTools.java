package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.InvalidInputException;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.NodeException;
import dev.mnode.node.NotFoundException;
import dev.mnode.node.access.Scope;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The MCP tools, each a thin door onto one API route ({@link MemoryRoutes}), so that they obey the
 * same scope rules, validation and limits: remember, recall, get_memory, update_memory, forget,
 * list_memories, list_classes. A tool's result is the route's JSON as text; a refusal is a tool
 * error whose text says why. Thread-safe.
 */
final class McpTools {
  static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();

  /** What one tool call did, for the audit log. */
  record Outcome(McpSchema.CallToolResult result, Set<String> classes, int count, int status) {}

  private static final String ID = "{\"type\": \"string\", \"description\": \"The memory's id, as returned by remember, recall or list_memories.\"}";
  private static final String CLASS = "{\"type\": \"string\", \"description\": \"The memory's class: personal, work, health, financial, other, or one the user added. Only classes this connection may use are accepted.\"}";
  private static final String TAGS = "{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"description\": \"Short labels, such as a project or topic.\"}";
  private static final String IMPORTANCE = "{\"type\": \"number\", \"minimum\": 0, \"maximum\": 1, \"description\": \"How much it matters, 0 to 1 (default 0.5); important memories rank higher.\"}";

  /** Name, route, description and input schema of each tool. */
  private record Def(String name, String route, String description, String schema) {}

  private static final List<Def> DEFS =
      List.of(
          new Def("remember", "remember",
              "Store a new memory: one fact, decision or preference the user wants kept, stated on its own so it makes sense later. Without a class, the node proposes one and returns it with its confidence. If the class already holds the same fact, that memory is returned with duplicate true and nothing is stored.",
              "{\"type\": \"object\", \"properties\": {\"text\": {\"type\": \"string\", \"description\": \"The memory itself, one or a few sentences.\"}, \"class\": " + CLASS
                  + ", \"tags\": " + TAGS + ", \"importance\": " + IMPORTANCE
                  + ", \"pinned\": {\"type\": \"boolean\", \"description\": \"Pinned memories come first.\"}}, \"required\": [\"text\"], \"additionalProperties\": false}"),
          new Def("recall", "recall",
              "Find the memories that best answer a question, best first, by meaning and by words, weighed by recency and importance. Use it before answering anything that may depend on what the user told you before.",
              "{\"type\": \"object\", \"properties\": {\"query\": {\"type\": \"string\", \"description\": \"The question or topic, in plain words.\"}, \"k\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 100, \"description\": \"How many memories at most (default 10).\"}, \"classes\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"description\": \"Only these classes (default: every class this connection may read).\"}, \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"description\": \"Only memories with all of these tags.\"}, \"since\": {\"type\": \"string\", \"description\": \"Only memories created at or after this ISO-8601 instant, such as 2026-11-01T00:00:00Z.\"}, \"until\": {\"type\": \"string\", \"description\": \"Only memories created before this ISO-8601 instant.\"}}, \"required\": [\"query\"], \"additionalProperties\": false}"),
          new Def("get_memory", "get",
              "Return one memory by its id, with every field.",
              "{\"type\": \"object\", \"properties\": {\"id\": " + ID + "}, \"required\": [\"id\"], \"additionalProperties\": false}"),
          new Def("update_memory", "update",
              "Change a memory: only the fields given change. tags replaces the whole list. Use it when the user corrects or refines something remembered.",
              "{\"type\": \"object\", \"properties\": {\"id\": " + ID + ", \"text\": {\"type\": \"string\", \"description\": \"The new text.\"}, \"class\": " + CLASS
                  + ", \"tags\": " + TAGS + ", \"importance\": " + IMPORTANCE
                  + ", \"pinned\": {\"type\": \"boolean\"}}, \"required\": [\"id\"], \"additionalProperties\": false}"),
          new Def("forget", "forget",
              "Delete a memory for good. Use it only when the user asks to forget something.",
              "{\"type\": \"object\", \"properties\": {\"id\": " + ID + "}, \"required\": [\"id\"], \"additionalProperties\": false}"),
          new Def("list_memories", "list",
              "List memories newest first, optionally of some classes, with a tag, or in a time range; pages with limit and offset.",
              "{\"type\": \"object\", \"properties\": {\"classes\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"description\": \"Only these classes (default: every class this connection may read).\"}, \"tag\": {\"type\": \"string\"}, \"since\": {\"type\": \"string\", \"description\": \"ISO-8601 instant.\"}, \"until\": {\"type\": \"string\", \"description\": \"ISO-8601 instant.\"}, \"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 1000, \"description\": \"Default 20.\"}, \"offset\": {\"type\": \"integer\", \"minimum\": 0, \"description\": \"next_offset of the previous page.\"}}, \"additionalProperties\": false}"),
          new Def("list_classes", "classes",
              "List the memory classes this connection may use, with how many memories each holds.",
              "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}"));

  private final MemoryRoutes routes;

  McpTools(MemoryRoutes routes) {
    this.routes = routes;
  }

  /** The tool descriptions, with their input schemas. */
  static List<McpSchema.Tool> tools() {
    List<McpSchema.Tool> out = new ArrayList<>();
    for (Def d : DEFS) {
      out.add(McpSchema.Tool.builder().name(d.name()).description(d.description()).inputSchema(MAPPER, d.schema()).build());
    }
    return out;
  }

  /** Calls tool {@code name} with {@code args} for a caller of scope {@code scope}. */
  Outcome call(Scope scope, String name, Map<String, Object> args) {
    Def def = DEFS.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    if (def == null) {
      return error(404, "no tool named " + name);
    }
    try {
      ObjectNode in = MemoryJson.MAPPER.valueToTree(args == null ? Map.of() : args);
      Map<String, String> params = new HashMap<>();
      Map<String, List<String>> query = new HashMap<>();
      JsonNode body = null;
      switch (def.route()) {
        case "get", "forget" -> params.put("id", in.path("id").asText(""));
        case "update" -> {
          params.put("id", in.path("id").asText(""));
          in.remove("id");
          body = in;
        }
        case "list" -> {
          for (JsonNode c : in.path("classes")) {
            query.computeIfAbsent("class", k -> new ArrayList<>()).add(c.asText());
          }
          for (String k : List.of("tag", "since", "until", "limit", "offset")) {
            if (in.hasNonNull(k)) {
              query.put(k, List.of(in.get(k).asText()));
            }
          }
          query.putIfAbsent("limit", List.of("20"));
        }
        case "classes" -> { }
        default -> body = in;
      }
      Reply r = routes.handle(def.route(), scope, params, query, body);
      String text = r.body().length == 0 ? "{\"forgotten\": true}" : new String(r.body(), StandardCharsets.UTF_8);
      McpSchema.CallToolResult result = McpSchema.CallToolResult.builder().addTextContent(text).isError(false).build();
      return new Outcome(result, r.classes(), r.count(), r.status());
    } catch (ApiError e) {
      return error(e.status(), e.getMessage());
    } catch (NotFoundException e) {
      return error(404, e.getMessage());
    } catch (InvalidInputException e) {
      return error(400, e.getMessage());
    } catch (NodeException e) {
      return error(500, e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
  }

  private static Outcome error(int status, String message) {
    McpSchema.CallToolResult r = McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    return new Outcome(r, new TreeSet<>(), 0, status);
  }
}
