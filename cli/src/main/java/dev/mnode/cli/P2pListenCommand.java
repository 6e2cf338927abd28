package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.p2p.Echo;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "listen",
    description = {
      "Listen for libp2p connections and serve identify, ping and " + Echo.PROTOCOL + ".",
      "The first line on stdout is the full multiaddr, ending in /p2p/<peer id>"
          + " (with --json, the object {\"listen\": \"<multiaddr>\"}).",
      "Runs until killed, or until --seconds have passed."
    })
final class P2pListenCommand extends Mnode.Sub {
  /** The longest --seconds accepted: a year. */
  static final long MAX_SECONDS = 366L * 24 * 3600;

  @Option(
      names = "--listen",
      paramLabel = "MULTIADDR",
      defaultValue = "/ip4/127.0.0.1/tcp/0",
      description = "TCP address to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free port).")
  String listen;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      description = "Stop after N seconds (1 to " + MAX_SECONDS + "; default: run until killed).")
  @Nullable Long seconds;

  @Override
  void run(Mnode m) throws Exception {
    if (seconds != null && (seconds < 1 || seconds > MAX_SECONDS)) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input",
          "--seconds must be 1 to " + MAX_SECONDS + ", got " + seconds);
    }
    Multiaddr address = P2pTool.parse(listen);
    if (address.peerId().isPresent()) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input", "--listen takes an address without /p2p/<peer id>");
    }
    try (P2pTool tool = P2pTool.start()) {
      tool.host().handle(Echo.PROTOCOL, Echo.handler());
      Multiaddr bound;
      try {
        bound = tool.host().listen(address);
      } catch (IllegalArgumentException e) {
        throw P2pTool.invalid(e);
      } catch (P2pException e) {
        throw P2pTool.failure(e);
      }
      if (m.json) {
        ObjectNode o = MemoryJson.MAPPER.createObjectNode();
        o.put("listen", bound.toString());
        m.printJson(o);
      } else {
        m.out.println(bound);
      }
      m.out.flush();
      awaitEnd();
    }
  }

  /** Waits for --seconds, or forever; an interrupt (the in-process form of a kill) ends it too. */
  private void awaitEnd() {
    CountDownLatch never = new CountDownLatch(1);
    try {
      if (seconds == null) {
        never.await();
      } else {
        never.await(seconds, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
