package dev.mnode.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.access.Scope;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * MCP over streamable HTTP at {@code POST /mcp}, stateless: each POST carries one JSON-RPC message
 * and is answered with one JSON body (202 and no body for a notification); there is no session
 * and no event stream ({@code GET /mcp} is 405, as the specification allows). The request has
 * already passed the API's checks (Host, Origin, bearer token, rate limit); the token's scope goes
 * to the tools through the transport context. Thread-safe.
 */
final class McpEndpoint implements McpStatelessServerTransport {
  static final String SCOPE = "mnode.scope";
  static final String OUTCOME = "mnode.outcome";
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private volatile @Nullable McpStatelessServerHandler handler;
  private final McpStatelessSyncServer server;

  /** Filled by the tool a request called, for the audit log. */
  static final class Holder {
    volatile Set<String> classes = Set.of();
    volatile int count;
    volatile String operation = "mcp";
    volatile int status = 200;
  }

  McpEndpoint(McpTools tools, String version) {
    List<McpStatelessServerFeatures.SyncToolSpecification> specs =
        McpTools.tools().stream()
            .map(
                t ->
                    new McpStatelessServerFeatures.SyncToolSpecification(
                        t,
                        (ctx, req) -> {
                          McpTools.Outcome o = tools.call((Scope) ctx.get(SCOPE), req.name(), req.arguments());
                          Holder h = (Holder) ctx.get(OUTCOME);
                          h.classes = o.classes();
                          h.count = o.count();
                          h.operation = "mcp:" + req.name();
                          h.status = o.status();
                          return o.result();
                        }))
            .toList();
    this.server =
        McpServer.sync(this)
            .serverInfo("mnode", version)
            .instructions(McpStdio.INSTRUCTIONS)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specs)
            .build();
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.empty();
  }

  /** Answers one JSON-RPC message posted by a caller of scope {@code scope}. */
  Reply handle(Scope scope, @Nullable JsonNode body) throws ApiError {
    McpStatelessServerHandler h = handler;
    if (h == null || body == null) {
      throw ApiError.badRequest("invalid_input", "a JSON-RPC message is required");
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(McpTools.MAPPER, MemoryJson.MAPPER.writeValueAsString(body));
    } catch (IOException | IllegalArgumentException e) {
      throw ApiError.badRequest("malformed_json", "not a JSON-RPC message: " + e.getMessage());
    }
    Holder outcome = new Holder();
    McpTransportContext ctx = McpTransportContext.create(Map.of(SCOPE, scope, OUTCOME, outcome));
    try {
      if (message instanceof McpSchema.JSONRPCRequest req) {
        McpSchema.JSONRPCResponse res = h.handleRequest(ctx, req).block(TIMEOUT);
        return new Reply(200, McpTools.MAPPER.writeValueAsBytes(res), Reply.JSON, new TreeSet<>(outcome.classes), outcome.count, outcome.operation, outcome.status);
      }
      if (message instanceof McpSchema.JSONRPCNotification n) {
        h.handleNotification(ctx, n).block(TIMEOUT);
        return new Reply(202, new byte[0], Reply.JSON, new TreeSet<>(), 0);
      }
    } catch (IOException e) {
      throw new ApiError(500, "internal", "cannot write the answer: " + e.getMessage());
    }
    throw ApiError.badRequest("invalid_input", "only requests and notifications are accepted");
  }

  /** The tools this endpoint offers (for tests and logs). */
  List<McpSchema.Tool> tools() {
    return server.listTools();
  }
}
