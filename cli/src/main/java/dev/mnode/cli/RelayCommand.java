package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.LocalMemoryService;
import dev.mnode.node.MemoryJson;
import dev.mnode.node.MemoryService;
import dev.mnode.node.http.HttpModule;
import dev.mnode.node.relay.Relay;
import dev.mnode.node.relay.RelayList;
import dev.mnode.node.relay.RelayReport;
import dev.mnode.node.relay.RelaySync;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "relay",
    description = {
      "Sync through a zero-knowledge cloud relay when your devices are rarely online together.",
      "The provider stores sealed, padded blobs under opaque names: it learns counts, sizes and timing only."
    },
    subcommands = {RelayCommand.Add.class, RelayCommand.ListRelays.class, RelayCommand.Remove.class, RelayCommand.Sync.class})
final class RelayCommand extends Mnode.Sub {
  @Override
  void run(Mnode m) throws Exception {
    throw new CliException(Mnode.EXIT_INVALID, "invalid_input", "relay needs a subcommand: add, list, remove or sync");
  }

  @Command(
      name = "add",
      description = {
        "Use the relay at URI: file:/DIR (a mounted drive), s3://BUCKET/PREFIX or dropbox:/PATH.",
        "Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or MNODE_DROPBOX_TOKEN."
      })
  static final class Add extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "URI")
    String uri;

    @Option(names = "--endpoint", paramLabel = "URL", description = "An S3-compatible server (https://host[:port]) or a Dropbox API stand-in.")
    @Nullable String endpoint;

    @Override
    void run(Mnode m) throws Exception {
      PeersCommand.requireHome(m);
      URI u = RelayList.parse(uri);
      URI e = endpoint == null ? null : RelayList.parseEndpoint(endpoint);
      boolean added = RelayList.add(m.home(), u, e);
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode().put("uri", u.toString()).put("added", added);
        if (e != null) {
          o.put("endpoint", e.toString());
        }
        m.printJson(o);
      } else {
        m.out.println(added ? "added relay " + u : u + " was already a relay");
      }
    }
  }

  @Command(name = "list", description = "Show the relays this home syncs with (never their credentials).")
  static final class ListRelays extends Mnode.Sub {
    @Override
    void run(Mnode m) throws Exception {
      PeersCommand.requireHome(m);
      List<Relay> relays = RelayList.load(m.home());
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        ArrayNode a = o.putArray("relays");
        for (Relay r : relays) {
          ObjectNode n = a.addObject().put("uri", r.uri().toString());
          if (r.endpoint() != null) {
            n.put("endpoint", r.endpoint().toString());
          }
        }
        m.printJson(o);
        return;
      }
      for (Relay r : relays) {
        m.out.println(r.uri() + (r.endpoint() == null ? "" : "  (endpoint " + r.endpoint() + ")"));
      }
      if (relays.isEmpty()) {
        m.err.println("no relays; add one with `mnode relay add URI`");
      }
    }
  }

  @Command(name = "remove", description = "Stop syncing with the relay at URI (what it stores stays there).")
  static final class Remove extends Mnode.Sub {
    @Parameters(index = "0", paramLabel = "URI")
    String uri;

    @Override
    void run(Mnode m) throws Exception {
      PeersCommand.requireHome(m);
      URI u = RelayList.parse(uri);
      boolean removed = RelayList.remove(m.home(), u);
      if (m.json) {
        m.printJson(MemoryJson.MAPPER.createObjectNode().put("uri", u.toString()).put("removed", removed));
      } else {
        m.out.println(removed ? "removed relay " + u : u + " was not a relay");
      }
    }
  }

  @Command(name = "sync", description = "Run one round with every relay now: upload what is new here, apply what others put there.")
  static final class Sync extends Mnode.Sub {
    @Override
    void run(Mnode m) throws Exception {
      PeersCommand.requireHome(m);
      List<Relay> relays = RelayList.load(m.home());
      if (relays.isEmpty()) {
        throw new CliException(Mnode.EXIT_FAILURE, "error", "no relays; add one with `mnode relay add URI`");
      }
      Optional<MemoryService> running = HttpModule.connect(m.home());
      if (running.isPresent()) {
        running.get().close();
        throw new CliException(Mnode.EXIT_IN_USE, "in_use",
            "a node serves this home and syncs its relays itself (see `mnode serve --relay-interval`); stop it to sync by hand");
      }
      ArrayNode reports = MemoryJson.MAPPER.createArrayNode();
      try (MemoryService svc = m.openLocal()) {
        for (Relay r : relays) {
          ProgressBar bar = m.showProgress() ? new ProgressBar(m.err, "blobs") : null;
          RelayReport rep;
          try {
            rep = RelaySync.round((LocalMemoryService) svc, m.home(), r, m.env,
                bar == null ? dev.mnode.node.ProgressListener.NONE : bar, w -> m.err.println("mnode: warning: " + w));
          } finally {
            if (bar != null) {
              bar.finish();
            }
          }
          reports.add(json(rep));
          if (!m.json) {
            m.out.printf(java.util.Locale.ROOT, "%s: uploaded %d blob(s) (%d bundles), downloaded %d blob(s) (%d bundles, %d applied)%s%s%n",
                r.uri(), rep.uploaded(), rep.bundlesOut(), rep.downloaded(), rep.bundlesIn(), rep.applied(),
                rep.deleted() == 0 ? "" : ", deleted " + rep.deleted() + " superseded blob(s)",
                rep.rejected().isEmpty() ? "" : ", rejected " + rep.rejected().size());
            rep.rejected().forEach(x -> m.out.println("  rejected " + x.name() + ": " + x.reason()));
          }
        }
      }
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.set("relays", reports);
        m.printJson(o);
      }
    }

    private static ObjectNode json(RelayReport r) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("uri", r.relay());
      o.put("listed", r.listed()).put("list_requests", r.listRequests());
      o.put("uploaded_blobs", r.uploaded()).put("uploaded_bytes", r.uploadedBytes());
      o.put("downloaded_blobs", r.downloaded()).put("downloaded_bytes", r.downloadedBytes());
      o.put("bundles_out", r.bundlesOut()).put("ops_out", r.opsOut()).put("envelopes_out", r.envelopesOut());
      o.put("bundles_in", r.bundlesIn()).put("ops_in", r.opsIn()).put("envelopes_in", r.envelopesIn());
      o.put("bundles_applied", r.applied());
      o.put("deleted_blobs", r.deleted());
      ObjectNode refused = o.putObject("refused");
      r.refused().forEach(refused::put);
      ArrayNode rej = o.putArray("rejected");
      r.rejected().forEach(x -> rej.addObject().put("name", x.name()).put("reason", x.reason()));
      return o;
    }
  }
}
