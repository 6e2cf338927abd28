package dev.mnode.node.http;

import dev.mnode.node.MemoryService;
import dev.mnode.node.access.Scope;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * MCP over stdio ({@code mnode mcp}), for desktop clients that start the server themselves: JSON-RPC
 * lines on {@code in} and {@code out}, the same tools as {@code /mcp}, limited to one scope (the
 * app token the client's configuration names, or the owner). Each tool call is recorded in
 * {@code audit} as {@code mcp:TOOL}.
 */
public final class McpStdio {
  static final String INSTRUCTIONS =
      "mnode is the user's long-term memory. Call recall before answering anything that may depend on what the user"
          + " told you earlier; call remember when the user states a fact, decision or preference worth keeping"
          + " (one self-contained statement per memory, with a class such as work or personal).";

  private McpStdio() {}

  /**
   * Serves MCP on {@code in}/{@code out} over {@code service} until {@code in} ends (the client
   * closed it), then returns. Blocks the calling thread.
   */
  public static void serve(MemoryService service, Scope scope, AccessLog audit, InputStream in, OutputStream out, String version)
      throws InterruptedException {
    McpTools tools = new McpTools(new MemoryRoutes(service));
    List<McpServerFeatures.SyncToolSpecification> specs =
        McpTools.tools().stream()
            .map(
                t ->
                    new McpServerFeatures.SyncToolSpecification(
                        t,
                        (exchange, req) -> {
                          McpTools.Outcome o = tools.call(scope, req.name(), req.arguments());
                          audit.record(scope.app(), "mcp:" + req.name(), o.classes(), o.count(), o.status());
                          return o.result();
                        }))
            .toList();
    CountDownLatch ended = new CountDownLatch(1);
    InputStream watched =
        new FilterInputStream(in) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
              ended.countDown();
            }
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n < 0) {
              ended.countDown();
            }
            return n;
          }
        };
    McpSyncServer server =
        McpServer.sync(new StdioServerTransportProvider(McpTools.MAPPER, watched, out))
            .serverInfo("mnode", version)
            .instructions(INSTRUCTIONS)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specs)
            .build();
    try {
      ended.await();
    } finally {
      server.closeGracefully();
    }
  }
}
