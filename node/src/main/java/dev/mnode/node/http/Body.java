package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A JSON request body, read strictly: it must be an object, every field must be one the route
 * knows (an unknown field is refused with 400 {@code unknown_field}, so a misspelt filter never
 * widens a query silently) and of the right type (400 {@code invalid_input}). Confined to one
 * request.
 */
final class Body {
  private final JsonNode node;

  private Body(JsonNode node) {
    this.node = node;
  }

  static Body of(JsonNode node, Set<String> fields) throws ApiError {
    if (!node.isObject()) {
      throw ApiError.badRequest("invalid_input", "the body must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        throw ApiError.badRequest(
            "unknown_field", "unknown field \"" + f + "\" (known: " + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
      }
    }
    return new Body(node);
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  @Nullable String string(String field) throws ApiError {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(field, "a string");
    }
    return v.textValue();
  }

  @Nullable Double number(String field) throws ApiError {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw invalid(field, "a number");
    }
    return v.doubleValue();
  }

  @Nullable Integer integer(String field) throws ApiError {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid(field, "a whole number");
    }
    return v.intValue();
  }

  @Nullable Boolean bool(String field) throws ApiError {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw invalid(field, "true or false");
    }
    return v.booleanValue();
  }

  @Nullable List<String> strings(String field) throws ApiError {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw invalid(field, "an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw invalid(field, "an array of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }

  @Nullable Map<String, String> stringMap(String field) throws ApiError {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw invalid(field, "an object of strings");
    }
    Map<String, String> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw invalid(field, "an object of strings");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  @Nullable Instant instant(String field) throws ApiError {
    String s = string(field);
    return s == null ? null : instant(field, s);
  }

  static Instant instant(String field, String s) throws ApiError {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          "invalid_input", "\"" + field + "\" is not an ISO-8601 instant such as 2026-11-26T10:00:00Z: " + s);
    }
  }

  private static ApiError invalid(String field, String what) {
    return ApiError.badRequest("invalid_input", "\"" + field + "\" must be " + what);
  }
}
