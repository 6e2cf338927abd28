package dev.mnode.node.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One route the server answers: a method and a path template whose {@code {name}} segments match
 * one plain segment each. Immutable.
 *
 * @param name the route's name in metrics and the audit log
 * @param authenticated whether a bearer token is required
 */
record Route(String name, String method, String template, boolean authenticated) {
  /** Every route, in the order of the OpenAPI document. */
  static final List<Route> ALL =
      List.of(
          new Route("health", "GET", "/health", false),
          new Route("metrics", "GET", "/metrics", true),
          new Route("openapi", "GET", "/openapi.json", true),
          new Route("remember", "POST", "/v1/memories", true),
          new Route("list", "GET", "/v1/memories", true),
          new Route("get", "GET", "/v1/memories/{id}", true),
          new Route("update", "PATCH", "/v1/memories/{id}", true),
          new Route("forget", "DELETE", "/v1/memories/{id}", true),
          new Route("recall", "POST", "/v1/recall", true),
          new Route("classes", "GET", "/v1/classes", true),
          new Route("status", "GET", "/v1/status", true),
          new Route("devices", "GET", "/v1/devices", true),
          new Route("device_grant", "POST", "/v1/devices/{id}/grant", true),
          new Route("device_ungrant", "POST", "/v1/devices/{id}/ungrant", true),
          new Route("device_revoke", "POST", "/v1/devices/{id}/revoke", true),
          new Route("device_rename", "POST", "/v1/devices/{id}/rename", true),
          new Route("peers", "GET", "/v1/peers", true),
          new Route("pair", "POST", "/v1/pair", true),
          new Route("pair_result", "GET", "/v1/pair/{code}", true),
          new Route("pair_join", "POST", "/v1/pair/join", true),
          new Route("mcp", "POST", "/mcp", true));

  /** Returns the path parameters when {@code segments} fit this template. */
  Optional<Map<String, String>> match(List<String> segments) {
    String[] parts = template.substring(1).split("/");
    if (parts.length != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new java.util.HashMap<>();
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].startsWith("{")) {
        params.put(parts[i].substring(1, parts[i].length() - 1), segments.get(i));
      } else if (!parts[i].equals(segments.get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(Map.copyOf(params));
  }
}
