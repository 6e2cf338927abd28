package dev.mnode.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnode.node.MemoryJson;
import dev.mnode.p2p.Connection;
import dev.mnode.p2p.Multiaddr;
import dev.mnode.p2p.P2pException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ping",
    description = {
      "Dial a libp2p peer and run /ipfs/ping/1.0.0 over one connection; print each round trip.",
      "JSON: {\"peer\", \"address\", \"rttMs\": [...], \"minMs\", \"avgMs\", \"maxMs\"}."
    })
final class P2pPingCommand extends Mnode.Sub {
  static final int MAX_COUNT = 10_000;

  @Parameters(index = "0", paramLabel = "MULTIADDR", description = "The peer: .../tcp/<port>/p2p/<peer id>.")
  String address;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "1",
      description = "Pings to send, one after the other (1 to " + MAX_COUNT + "; default: ${DEFAULT-VALUE}).")
  int count;

  @Override
  void run(Mnode m) throws Exception {
    if (count < 1 || count > MAX_COUNT) {
      throw new CliException(
          Mnode.EXIT_INVALID, "invalid_input", "--count must be 1 to " + MAX_COUNT + ", got " + count);
    }
    Multiaddr peer = P2pTool.parseDialable(address);
    List<Double> rtts = new ArrayList<>();
    try (P2pTool tool = P2pTool.start()) {
      Connection c = tool.host().dial(peer);
      for (int i = 0; i < count; i++) {
        Duration rtt = c.ping();
        rtts.add(P2pTool.millis(rtt));
        if (!m.json) {
          m.out.printf(Locale.ROOT, "pong from %s: %.3f ms%n", c.remotePeer(), P2pTool.millis(rtt));
        }
      }
    } catch (P2pException e) {
      throw P2pTool.failure(e);
    } catch (IllegalArgumentException e) {
      throw P2pTool.invalid(e);
    }
    double min = rtts.stream().mapToDouble(d -> d).min().orElseThrow();
    double max = rtts.stream().mapToDouble(d -> d).max().orElseThrow();
    double avg = Math.round(rtts.stream().mapToDouble(d -> d).average().orElseThrow() * 1000) / 1000.0;
    if (m.json) {
      ObjectNode o = MemoryJson.MAPPER.createObjectNode();
      o.put("peer", peer.peerId().orElseThrow().toString());
      o.put("address", peer.toString());
      ArrayNode a = o.putArray("rttMs");
      rtts.forEach(a::add);
      o.put("minMs", min);
      o.put("avgMs", avg);
      o.put("maxMs", max);
      m.printJson(o);
    } else {
      m.out.printf(Locale.ROOT, "%d pings: min %.3f ms, avg %.3f ms, max %.3f ms%n", count, min, avg, max);
    }
  }
}
