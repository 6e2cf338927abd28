package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.NodeException;
import dev.mnode.node.access.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What every connection's {@link ApiHandler} shares: the checks, limits and records, the worker
 * threads, and the routes that are not about memories. Thread-safe.
 */
record ApiContext(
    LoopbackGuard guard,
    Authenticator authenticator,
    FailureThrottle throttle,
    RateLimiter limiter,
    Metrics metrics,
    AccessLog audit,
    MemoryRoutes memories,
    VaultRoutes vault,
    McpEndpoint mcp,
    ExecutorService workers,
    Consumer<String> warn) {
  /** The OpenAPI document, copied from {@code docs/api/openapi.json} into the jar at build time. */
  static final String OPENAPI_RESOURCE = "openapi.json";

  Reply unauthenticated(Route route) {
    if (!route.name().equals("health")) {
      throw new IllegalArgumentException("route needs a token: " + route.name());
    }
    return Reply.json(200, dev.mnode.node.MemoryJson.MAPPER.createObjectNode().put("status", "ok"));
  }

  Reply authenticated(
      Route route, Scope scope, Map<String, String> params, Map<String, List<String>> query, @Nullable JsonNode body)
      throws ApiError, NodeException {
    switch (route.name()) {
      case "metrics":
        noQuery(query);
        return Reply.text(Metrics.CONTENT_TYPE, metrics.render());
      case "openapi":
        noQuery(query);
        return new Reply(200, openApi(), Reply.JSON, new java.util.TreeSet<>(), 0);
      case "mcp":
        noQuery(query);
        return mcp.handle(scope, body);
      default:
        if (VaultRoutes.handles(route.name())) {
          return vault.handle(route.name(), scope, params, query, body);
        }
        return memories.handle(route.name(), scope, params, query, body);
    }
  }

  static byte[] openApi() {
    try (InputStream in = ApiContext.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the OpenAPI document", e);
    }
  }

  private static void noQuery(Map<String, List<String>> query) throws ApiError {
    if (!query.isEmpty()) {
      throw ApiError.badRequest("unknown_parameter", "this route takes no query parameters");
    }
  }
}
