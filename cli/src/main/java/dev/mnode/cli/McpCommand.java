package dev.mnode.cli;

import dev.mnode.node.Home;
import dev.mnode.node.MemoryService;
import dev.mnode.node.ServerConfig;
import dev.mnode.node.access.AppRegistry;
import dev.mnode.node.access.AuditLog;
import dev.mnode.node.access.OwnerCredential;
import dev.mnode.node.access.Scope;
import dev.mnode.node.http.AccessLog;
import dev.mnode.node.http.HttpModule;
import dev.mnode.node.http.McpStdio;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(
    name = "mcp",
    description = {
      "Serve MCP over stdin/stdout, for AI tools that start their servers themselves (Claude Desktop,",
      "Claude Code, Cursor). With MNODE_TOKEN set to an app token (mnode apps add), only that app's",
      "classes and operations; without it, the owner's. Uses the running node when there is one."
    })
final class McpCommand extends Mnode.Sub {
  static final String TOKEN_ENV = "MNODE_TOKEN";

  @Override
  void run(Mnode m) throws Exception {
    Home home = m.home();
    if (!java.nio.file.Files.exists(home.keyFile())) {
      throw new CliException(
          Mnode.EXIT_FAILURE, "error", "not an mnode home: " + home.dir() + " (run `mnode init` first, or pass --home DIR)");
    }
    String token = m.env.get(TOKEN_ENV);
    Scope scope = scope(home, token);
    Optional<MemoryService> running = token == null ? HttpModule.connect(home) : HttpModule.connect(home, token);
    String version = new Mnode.Version().getVersion()[0].replace("mnode ", "");
    if (running.isPresent()) {
      // The node checks the token again and records each access itself.
      try (MemoryService service = running.get()) {
        McpStdio.serve(service, scope, AccessLog.NONE, m.in, m.out, version);
      }
      return;
    }
    ServerConfig config = ServerConfig.of(home);
    try (MemoryService service = m.openLocal();
        AuditLog audit = AuditLog.open(home.dir(), m.clock, config.auditRetentionDays(), config.auditMaxEntries(),
            w -> m.err.println("mnode: warning: " + w))) {
      McpStdio.serve(service, scope, audit::record, m.in, m.out, version);
    }
  }

  private static Scope scope(Home home, String token) throws Exception {
    if (token == null) {
      return Scope.owner();
    }
    Optional<String> owner = OwnerCredential.read(home.dir());
    if (owner.isPresent() && OwnerCredential.matches(token, OwnerCredential.hash(owner.get()))) {
      return Scope.owner();
    }
    return AppRegistry.of(home.dir())
        .authenticate(token)
        .map(a -> a.scope())
        .orElseThrow(() -> new CliException(Mnode.EXIT_INVALID, "invalid_input", TOKEN_ENV + " is not a token of this home (see: mnode apps)"));
  }
}
